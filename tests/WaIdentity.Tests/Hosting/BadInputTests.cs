using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Hosting;

/// <summary>Malformed input gets the spec's 4xx, never a 5xx: control characters, huge or deeply nested bodies, non-ASCII.</summary>
public sealed class BadInputTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nul_character_in_a_form_value_is_an_invalid_request_at_the_token_introspection_and_revocation_endpoints(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        using var http = host.Server.CreateClient();

        foreach (var path in new[] { "/connect/token", "/connect/introspect", "/connect/revoke" })
        foreach (var form in new[]
        {
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "sh\0op", ["client_secret"] = secret!, ["token"] = "t" },
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = "shop", ["client_secret"] = secret!, ["refresh_token"] = "a\0b", ["token"] = "a\0b" },
        })
        {
            var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} answered {(int)response.StatusCode}");
            Assert.Contains("\"error\":\"invalid_request\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/channel/webhooks/whatsapp")]
    public async Task A_declared_body_over_the_limit_is_refused_with_413_before_it_is_read(string path)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();

        foreach (var size in new[] { 1_048_577L, 31L * 1024 * 1024 })
        {
            var content = new StreamContent(new RepeatingStream(size));
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
            content.Headers.ContentLength = size;
            // Expect: 100-continue, as careful clients send big bodies: the server answers from the headers alone.
            var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content, Headers = { ExpectContinue = true } });
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_non_ascii_return_url_after_a_correct_password_signs_in_and_continues_there_percent_encoded()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var browser = host.Browser();

        var page = await browser.GetStringAsync("/login/password?returnUrl=%2Fcaf%C3%A9");
        var response = await browser.PostAsync("/login/password?returnUrl=%2Fcaf%C3%A9", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = "/café", ["Email"] = OidcTestHost.Email, ["Password"] = OidcTestHost.Password,
            [AntiforgeryToken.FieldName] = AntiforgeryToken.In(page),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0;url=/caf%C3%A9", response.Headers.GetValues("Refresh").Single());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode); // signed in
    }

    /// <summary>Every mapped route, with every method it takes, gets hostile input; none may answer 5xx.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Fuzzed_input_to_every_endpoint_never_answers_5xx(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var http = host.Server.CreateClient();
        var routes = host.Server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Path: Path(e.RoutePattern.RawText ?? ""), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]))
            .Where(r => r.Path.Length > 0).Distinct().ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        var deep = new string('[', 5000) + new string(']', 5000);
        var failures = new List<string>();

        foreach (var (path, methods) in routes)
        foreach (var method in methods.Where(m => m is "GET" or "POST" or "PUT" or "DELETE" or "PATCH"))
        foreach (var (name, content, query) in Payloads(deep))
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path + query) { Content = method == "GET" ? null : content(), Headers = { ExpectContinue = true } };
            // Only the status matters; streaming endpoints (server-sent events) would never end a body read.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if ((int)response.StatusCode >= 500) failures.Add($"{method} {path} ({name}): {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<(string Name, Func<HttpContent> Content, string Query)> Payloads(string deep)
    {
        const string hostile = "a\0b\u0001\u001f\u007f\ud83d\ude00café\u202e<script>";
        var formFields = new[] { "client_id", "grant_type", "code", "token", "refresh_token", "redirect_uri", "Phone", "Email", "Password", "Code", "ReturnUrl", "returnUrl", "state", "id_token_hint", "post_logout_redirect_uri" };
        yield return ("control characters in a form", () => new FormUrlEncodedContent(formFields.Select(f => new KeyValuePair<string, string>(f, hostile))),
            "?client_id=%00&returnUrl=%2Fcaf%C3%A9&state=%01&id_token_hint=%00&redirect_uri=%00&phone=%00");
        yield return ("control characters in JSON", () => new StringContent("{\"phone\":\"+62\\u0000812\",\"text\":\"\\u0000\",\"to\":\"\\u0000\",\"from\":\"a\\u0000\",\"callback_url\":\"\\u0000\"}", Encoding.UTF8, "application/json"), "");
        yield return ("deeply nested JSON", () => new StringContent(deep, Encoding.UTF8, "application/json"), "");
        yield return ("invalid UTF-8", () => new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d]) { Headers = { ContentType = new("application/json") } }, "?q=%ff%fe");
        yield return ("a body over the limit", () => new StreamContent(new RepeatingStream(2 * 1024 * 1024)) { Headers = { ContentType = new("application/x-www-form-urlencoded"), ContentLength = 2 * 1024 * 1024 } }, "");
    }

    /// <summary>A route pattern with every parameter filled in, e.g. /admin/clients/{id} -> /admin/clients/x%00y.</summary>
    private static string Path(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]*\}", "x%00y");
        return path.StartsWith('/') ? path : "/" + path;
    }

    /// <summary>An endless supply of 'a' up to <paramref name="length"/>, without holding it in memory.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Fill(buffer, (byte)'a', offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
