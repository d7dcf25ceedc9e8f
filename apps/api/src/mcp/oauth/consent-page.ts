/** The consent page and its messages: plain HTML, every value escaped, no script. */
import { AuthorizeRequest } from './oauth-flow';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Herald</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2328}button{font:inherit;padding:.5rem 1rem}select{font:inherit;padding:.3rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function messagePage(title: string, message: string, link?: string, linkText = 'Open Herald'): string {
  return page(title, `<p>${escapeHtml(message)}</p>${link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p>` : ''}`);
}

/** The web app's sign-in, coming back to `path` (this consent page, as it was asked for) once signed in. */
export function signInLink(path: string): string {
  return `/sign-in?${new URLSearchParams({ redirect: path })}`;
}

export function consentPage(clientName: string, request: AuthorizeRequest, workspaces: { workspaceId: string; name: string; role: string }[], csrfToken: string): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = workspaces.map((workspace) => `<option value="${escapeHtml(workspace.workspaceId)}">${escapeHtml(workspace.name)} (as ${escapeHtml(workspace.role)})</option>`).join('');
  return page(
    `Allow ${clientName}?`,
    `<p><strong>${escapeHtml(clientName)}</strong> asks to act as you in Herald: to read, validate and schedule posts, with your role in the workspace you pick.</p>
<form method="post" action="/oauth/authorize">
${hidden('client_id', request.clientId)}${hidden('redirect_uri', request.redirectUri)}${hidden('code_challenge', request.codeChallenge)}${hidden('code_challenge_method', 'S256')}${hidden('response_type', 'code')}${request.state !== undefined ? hidden('state', request.state) : ''}${hidden('csrf', csrfToken)}
<p><label>Workspace <select name="workspace_id">${options}</select></label></p>
<p><button type="submit">Allow</button></p>
</form><p>It is sent back to ${escapeHtml(new URL(request.redirectUri).origin)}.</p>`,
  );
}
