namespace WaIdentity.IdP.Hosting;

/// <summary>
/// Refuses, with 400, control characters no person or client sends on purpose: any in a query string, and in a form
/// any but tab and line breaks (multi-line text), none at all on the OAuth endpoints (their parameters are visible
/// ASCII, RFC 6749 Appendix A). Such characters cannot be stored by PostgreSQL (NUL) or put into a header (a state or
/// return URL echoed in Location), so without this they end in 500s deep inside.
/// </summary>
internal sealed class ControlCharacterGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var oauth = request.Path.StartsWithSegments("/connect");
        var refused = request.Query.Any(p => Bad(p.Key, strict: true) || p.Value.Any(v => Bad(v, strict: true)));
        if (!refused && request.HasFormContentType && !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            IFormCollection form;
            // Endpoints after this one may read the raw body again (the SMS webhook signs the exact form it was sent).
            request.EnableBuffering();
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
                request.Body.Position = 0;
            }
            catch (InvalidDataException)
            {
                form = FormCollection.Empty;
                refused = true; // too many or too long values
            }
            refused |= form.Any(p => Bad(p.Key, strict: true) || p.Value.Any(v => Bad(v, strict: oauth)));
        }
        if (refused && oauth)
        {
            context.Response.Headers.CacheControl = "no-store";
            await Results.Json(new Dictionary<string, string>
            {
                ["error"] = "invalid_request", ["error_description"] = "A parameter contains a control character.",
            }, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        if (refused)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return; // the status code pages write the body
        }
        await next(context);
    }

    private static bool Bad(string? value, bool strict) =>
        value is not null && value.Any(c => char.IsControl(c) && (strict || c is not ('\t' or '\r' or '\n')));
}
