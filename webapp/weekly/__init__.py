"""The weekly email: what last week's runs did to each leg muscle, and next week's sessions.

One module a job, in the order a run goes through them:

- `schedule`: which week is due for whom (the runner's weekday, hour and time zone), week
  labels and their spans.
- `digest`: the selection: a week's numbers (from webapp.weeks.weekly_context, the same as
  the week page) and the next week's plan, as a `WeeklyDigest` in the runner's units.
- `render`: the ONE pair of templates `templates/email/weekly.{txt,html}` (the settings
  page preview renders the same) and the multipart message with the RFC 8058 headers.
- `unsubscribe`: the signed one-click unsubscribe token.
- `send`: `send_weekly()`, the claim protocol (one EmailSend row per user and week) and SMTP.

The commands `legday send-weekly` and `legday clock` (webapp/commands) drive `send.send_weekly`.
"""
