/** Log-safe text: addresses keep their domain and first letter (`m…@northwind.example`). */
export function redactAddresses(text: string): string {
  return text.replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, '$1…@$2');
}
