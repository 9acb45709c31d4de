/** How the greeting names the user: "Dr Mukendi" for "Dr Amani Mukendi", else the first name. */
export function greetingName(displayName: string): string {
  const words = displayName.trim().split(/\s+/);
  const first = words[0] ?? displayName;
  if (/^(dr|pr|prof|mr|mrs|ms|mme|mlle|m)\.?$/i.test(first) && words.length > 1) return `${first} ${words[words.length - 1]}`;
  return first;
}
