/** `{today}` in a triage signal's pattern: the date the mail was sent, as people write it. No I/O. */

const MONTHS = ['jan(uary)?', 'feb(ruary)?', 'mar(ch)?', 'apr(il)?', 'may', 'june?', 'july?', 'aug(ust)?', 'sep(t|tember)?', 'oct(ober)?', 'nov(ember)?', 'dec(ember)?'];

/** `{today}` in a pattern becomes the sent date: "23 November", "23rd Nov", "November 23". */
export function expandToday(sentAt: Date): (pattern: string) => string {
  const valid = !Number.isNaN(sentAt.getTime());
  // UTC date: the Date header's own offset is lost by then, and a deadline rarely sits at midnight.
  const day = valid ? sentAt.getUTCDate() : 1;
  const month = MONTHS[valid ? sentAt.getUTCMonth() : 0];
  const today = `(${day}(st|nd|rd|th)? ${month}|${month} ${day}(st|nd|rd|th)?)(?!\\d)`;
  return (pattern) => pattern.replaceAll('{today}', today);
}
