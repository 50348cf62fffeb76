"""No plugin page in a frame: a page framed out of sight on another site turns a click into an action.

Both headers, since older browsers know only ``X-Frame-Options``. A header the host has already
set is kept: its own ``frame-ancestors`` or ``X-Frame-Options`` is a deliberate choice, and a policy
without ``frame-ancestors`` gets the directive appended rather than replaced.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

CSP = "Content-Security-Policy"
NO_FRAMING = "frame-ancestors 'none'"


def _has_frame_ancestors(policy: str) -> bool:
    return any(directive.strip().lower().split(" ", 1)[0] == "frame-ancestors" for directive in policy.split(";"))


def forbid_framing(response: Response) -> Response:
    response.headers.setdefault("X-Frame-Options", "DENY")
    policies = response.headers.getlist(CSP)
    if not policies:
        response.headers[CSP] = NO_FRAMING
    elif not any(_has_frame_ancestors(policy) for policy in policies):
        del response.headers[CSP]
        first, *rest = policies
        response.headers.add(CSP, f"{first.strip().rstrip(';').rstrip()}; {NO_FRAMING}")
        for policy in rest:
            response.headers.add(CSP, policy)
    return response
