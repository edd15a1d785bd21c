using Microsoft.AspNetCore.Http;

namespace WaIdentity.Admin;

/// <summary>The host's Content-Security-Policy nonce for this response: a page with an inline script puts it on the tag.</summary>
public interface IScriptNonce
{
    string Of(HttpContext context);
}
