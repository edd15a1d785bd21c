using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Primitives;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// Reads Accept-Language as ASP.NET Core's own provider does (highest quality first), but hands the localization
/// middleware only languages the site has: "id-ID" counts as "id", and anything else is dropped. Given a value that
/// is no culture at all ("*", which Node's fetch and other HTTP clients send on every request), the middleware threw
/// and caught two CultureNotFoundExceptions per request: about 13 per login in the login benchmark, each one noise in
/// the exception counters and a cost no request needs.
/// </summary>
internal sealed class SupportedAcceptLanguage(IReadOnlyList<string> supported) : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var names = httpContext.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(v => v.Quality ?? 1)
            .Select(v => Supported(v.Value.Value))
            .OfType<string>().Distinct().Select(n => new StringSegment(n)).ToList();
        return names.Count > 0 ? Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(names)) : NullProviderCultureResult;
    }

    private string? Supported(string? tag)
    {
        if (string.IsNullOrEmpty(tag)) return null;
        var language = tag.Split('-')[0];
        return supported.FirstOrDefault(s => string.Equals(s, tag, StringComparison.OrdinalIgnoreCase) || string.Equals(s, language, StringComparison.OrdinalIgnoreCase));
    }
}
