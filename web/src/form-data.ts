/** A text field of a submitted form ("" when absent; a file input is not a text field). */
export function textField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
