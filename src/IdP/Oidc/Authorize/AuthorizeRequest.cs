namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>The parameters of an authorization request (OIDC Core 3.1.2.1), as received (query or form), one value each.</summary>
internal sealed class AuthorizeRequest(IReadOnlyDictionary<string, string> parameters)
{
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string? this[string name] => Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string? ClientId => this["client_id"];
    public string? RedirectUri => this["redirect_uri"];
    public string? ResponseType => this["response_type"];
    public string? ResponseMode => this["response_mode"];
    public string? State => this["state"];
    public string? Nonce => this["nonce"];
    public string? CodeChallenge => this["code_challenge"];
    public string? CodeChallengeMethod => this["code_challenge_method"];
    public string? LoginHint => this["login_hint"];
    public string? IdTokenHint => this["id_token_hint"];
    public string? UiLocales => this["ui_locales"];
    public string? MaxAgeRaw => this["max_age"];
    public int? MaxAge => int.TryParse(MaxAgeRaw, out var s) ? s : null;
    public IReadOnlyList<string> Scopes => Split(this["scope"]);
    public IReadOnlyList<string> Prompt => Split(this["prompt"]);
    public IReadOnlyList<string> AcrValues => Split(this["acr_values"]);

    public static AuthorizeRequest From(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source) =>
        new(source.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal));

    /// <summary>Parameters sent more than once are invalid (RFC 6749 3.1).</summary>
    public static string? FindRepeated(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source) =>
        source.FirstOrDefault(p => p.Value.Count > 1).Key;

    private static string[] Split(string? value) => value?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
