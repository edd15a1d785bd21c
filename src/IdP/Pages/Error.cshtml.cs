using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WaIdentity.IdP.Pages;

/// <summary>The browser's error page, for unhandled errors and for statuses without a body (see StatusCodeResponses).</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string? RequestId { get; private set; }
    public string TitleKey { get; private set; } = "ErrorTitle";
    public string TextKey { get; private set; } = "ErrorText";

    public void OnGet()
    {
        var status = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode;
        (TitleKey, TextKey) = status switch
        {
            StatusCodes.Status404NotFound => ("ErrorNotFoundTitle", "ErrorNotFoundText"),
            StatusCodes.Status503ServiceUnavailable => ("ErrorUnavailableTitle", "ErrorUnavailableText"),
            _ => ("ErrorTitle", "ErrorText"),
        };
        // A missing page needs no reference; a failure does, for support to find it in the logs.
        if (status != StatusCodes.Status404NotFound) RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }
}
