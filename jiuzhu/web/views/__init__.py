"""Server-rendered pages. Each view: authenticate, parse a form, fetch through access/selectors,
call one service (or a few selectors), render. Domain errors are mapped by `web.errors`."""
