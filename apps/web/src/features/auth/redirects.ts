/**
 * Where signing in goes next: the page that sent the person to sign in
 * (`?redirect=`), only ever a path of this origin, and how it is reached:
 * a page of the app by its router, a page the API serves itself (an MCP
 * client's OAuth consent, `/oauth/authorize`) by loading it.
 */

/** Pages the API serves as HTML of its own, outside the app's router. */
const SERVER_PAGES = ['/oauth/authorize'];

/** Only a path of this origin: never an absolute URL (nor `//host` or `/\host`, which browsers take for one) someone put in the link. */
export function safeRedirect(redirect: string | undefined): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') && !redirect.includes('\\') && !redirect.startsWith('/sign-') ? redirect : '/';
}

/** The path is a page the API serves (loaded in full), not one of the app's routes. */
export function isServerPage(path: string): boolean {
  return SERVER_PAGES.some((page) => path === page || path.startsWith(`${page}?`));
}
