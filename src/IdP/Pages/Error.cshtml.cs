using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.IdP.Pages;

/// <summary>
/// The error page, for unhandled errors (ExceptionResponses) and statuses without a body (StatusCodeResponses); the
/// status stays the original one. A client that does not ask for HTML gets the same as problem+json.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    private int Status => HttpContext.Response.StatusCode;

    private bool NeedsHttps => ExceptionResponses.IsFormOverPlainHttp(HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error);

    public string TitleKey => NeedsHttps ? "ErrorHttpsTitle" : Status switch
    {
        StatusCodes.Status404NotFound => "ErrorNotFoundTitle",
        StatusCodes.Status503ServiceUnavailable => "ErrorUnavailableTitle",
        _ => "ErrorTitle",
    };

    public string TextKey => NeedsHttps ? "ErrorHttpsText" : Status switch
    {
        StatusCodes.Status404NotFound => "ErrorNotFoundText",
        StatusCodes.Status503ServiceUnavailable => "ErrorUnavailableText",
        _ => "ErrorText",
    };

    /// <summary>A missing page needs no reference; a failure does, for support to find it in the logs.</summary>
    public string? RequestId => Status == StatusCodes.Status404NotFound ? null : Activity.Current?.Id ?? HttpContext.TraceIdentifier;

    public IActionResult OnGet() => Respond();

    public IActionResult OnPost() => Respond();

    private IActionResult Respond()
    {
        if (Status == StatusCodes.Status503ServiceUnavailable) Response.Headers.RetryAfter = ExceptionResponses.RetryAfterSeconds.ToString();
        if (Status < 400 || StatusCodeResponses.WantsHtml(Request)) return Page();
        var problem = new ProblemDetails { Status = Status, Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(Status) };
        problem.Extensions["traceId"] = RequestId;
        return new JsonResult(problem) { StatusCode = Status, ContentType = "application/problem+json" };
    }
}
