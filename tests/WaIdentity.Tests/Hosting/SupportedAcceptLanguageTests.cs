using System.Globalization;
using Microsoft.AspNetCore.Http;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Hosting;

/// <summary>
/// The languages the localization middleware gets from Accept-Language: only the site's own, best first. Anything else
/// ("*" from Node's fetch, a language the site does not have) would make the middleware throw and catch exceptions on
/// every request.
/// </summary>
public sealed class SupportedAcceptLanguageTests
{
    [Theory]
    [InlineData("*", null)]
    [InlineData("fr-FR, de;q=0.9, *;q=0.1", null)]
    [InlineData("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id,en")]
    [InlineData("en;q=0.2, *, ID;q=0.9", "id,en")]
    [InlineData("fr, en-GB;q=0.5", "en")]
    public async Task Only_the_sites_languages_reach_the_middleware_best_first(string header, string? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.AcceptLanguage = header;
        var result = await new SupportedAcceptLanguage(IdpApp.SupportedCultures).DetermineProviderCultureResult(http);
        Assert.Equal(expected, result is null ? null : string.Join(",", result.UICultures.Select(c => c.Value)));
    }

    [Fact]
    public async Task No_header_leaves_the_choice_to_the_next_provider()
    {
        Assert.Null(await new SupportedAcceptLanguage(IdpApp.SupportedCultures).DetermineProviderCultureResult(new DefaultHttpContext()));
    }

    [Fact]
    public async Task A_client_that_accepts_any_language_gets_english_without_an_exception_per_request()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("Accept-Language", "*");
        Assert.Contains("lang=\"en\"", await client.GetStringAsync("/login"));

        // Counted across the process (other test classes run beside this one), so the bar is one per request: the
        // framework's provider threw two per request.
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is CultureNotFoundException) Interlocked.Increment(ref thrown);
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 20; i++) (await client.GetAsync("/.well-known/openid-configuration")).EnsureSuccessStatusCode();
        }
        finally { AppDomain.CurrentDomain.FirstChanceException -= Count; }
        Assert.True(thrown < 20, $"{thrown} CultureNotFoundExceptions for 20 requests");
    }
}
