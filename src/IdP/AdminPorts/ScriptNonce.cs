using WaIdentity.Admin;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The nonce <see cref="SecurityHeadersMiddleware"/> put in this response's script-src.</summary>
internal sealed class ScriptNonce : IScriptNonce
{
    public string Of(HttpContext context) => context.GetCspNonce();
}
