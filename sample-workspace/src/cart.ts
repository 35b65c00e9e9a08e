// A small shopping cart to try BYOK AI's commands on (explain, refactor, write tests, fix).
export interface Item {
  sku: string;
  name: string;
  unitPrice: number; // in cents
  quantity: number;
}

export class Cart {
  private readonly items = new Map<string, Item>();

  add(item: Item): void {
    const existing = this.items.get(item.sku);
    if (existing) existing.quantity += item.quantity;
    else this.items.set(item.sku, { ...item });
  }

  remove(sku: string): boolean {
    return this.items.delete(sku);
  }

  subtotal(): number {
    let total = 0;
    for (const item of this.items.values()) total += item.unitPrice * item.quantity;
    return total;
  }

  // TODO: a percentage above 100 should be rejected
  applyDiscount(percent: number): number {
    return Math.round(this.subtotal() * (1 - percent / 100));
  }
}

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
