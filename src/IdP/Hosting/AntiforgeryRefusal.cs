using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// A page form posted without a valid antiforgery token is refused as forbidden (403, as ASVS expects), not as a
/// malformed request (MVC's 400). Minimal API forms get the same in <see cref="ExceptionResponses"/>.
/// </summary>
internal sealed class AntiforgeryRefusal : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult) context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
    }

    public void OnResultExecuted(ResultExecutedContext context) { }
}
