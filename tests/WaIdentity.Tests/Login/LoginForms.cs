using WaIdentity.Tests.Infrastructure;
using System.Net;

namespace WaIdentity.Tests.Login;

/// <summary>Drives the login forms over plain HTTP (with their antiforgery tokens) for tests that need precise timing.</summary>
public static class LoginForms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pagePath, string postPath, params (string Key, string Value)[] fields)
    {
        var token = await TokenAsync(client, pagePath);
        return await PostWithTokenAsync(client, postPath, token, fields);
    }

    public static async Task<string> TokenAsync(HttpClient client, string pagePath)
    {
        var html = await client.GetStringAsync(pagePath);
        return AntiforgeryToken.In(html);
    }

    public static Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string path, string token, params (string Key, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("__RequestVerificationToken", token));
        return client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts the phone on /login and returns the client sitting on the code page.</summary>
    public static async Task<HttpResponseMessage> StartAsync(HttpClient client, string phone, string returnUrl = "/?from=app")
    {
        var response = await PostAsync(client, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl), "/login", ("Phone", phone), ("ReturnUrl", returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }
}
