/** Canvas colours of the statuses: the same as app.css's --pass, --fail and --skip. */
export const STATUS_COLORS = {
  pass: '#1f7a3a',
  fail: '#b3261e',
  skip: '#8a6d00',
  neutral: '#0b5cad',
} as const;
