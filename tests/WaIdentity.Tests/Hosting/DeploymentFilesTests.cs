using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.Tests.Hosting;

/// <summary>
/// No container engine runs here, so the image and the compose file are checked by what they would deploy: the app
/// started with the compose file's own environment (on the test PostgreSQL instead of the `db` service), the
/// Dockerfile's health probe path, and a build context that holds every project the publish needs.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static string Docker(string file) => File.ReadAllText(Path.Combine(RepoPaths.Root, "docker", file));

    [Fact]
    public async Task The_compose_environment_behind_its_tls_proxy_starts_ready_in_production_with_the_channel_disabled_and_says_so_on_the_login_page()
    {
        var environment = ComposeEnvironment();
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("PostgreSQL", environment["Database:Provider"]);

        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
        var settings = environment
            .Where(e => !e.Key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && e.Key != "Database:ConnectionString")
            .ToDictionary(e => e.Key, e => (string?)(e.Value.StartsWith("${", StringComparison.Ordinal) ? RandomKey() : e.Value));
        foreach (var (key, value) in db.Settings) settings[key] = value;
        // The test plays the compose file's nginx: TLS ends there and it forwards X-Forwarded-Proto from a trusted address.
        Assert.Contains("listen 443 ssl;", Docker("nginx.conf"));
        Assert.Contains("proxy_set_header X-Forwarded-Proto https;", Docker("nginx.conf"));
        settings["Hosting:TrustedProxies:0"] = "127.0.0.1";
        await using var server = await IdpTestServer.StartAsync(db, settings, environment["ASPNETCORE_ENVIRONMENT"]);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(HealthPath())).StatusCode);
        Assert.Equal(ChannelMode.Disabled, server.Services.GetRequiredService<ChannelRuntime>().Mode);
        Assert.Contains("no code can be sent", await http.GetStringAsync("/login"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dev/inbox")).StatusCode);
        Assert.Contains($"\"issuer\":\"{environment["Oidc:Issuer"]}\"", await http.GetStringAsync("/.well-known/openid-configuration"));
    }

    [Fact]
    public void The_image_restores_every_project_it_publishes_and_the_build_context_leaves_out_local_state()
    {
        var dockerfile = Docker("Dockerfile");
        foreach (var project in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, project).Replace('\\', '/');
            Assert.Contains($"COPY {relative} ", dockerfile);
        }
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        foreach (var local in new[] { "**/bin/", "**/obj/", "**/data/", "**/*.db", ".git/" }) Assert.Contains(local, ignored);
    }

    /// <summary>The idp-a service's environment block, keys in configuration form (Section:Key).</summary>
    private static Dictionary<string, string> ComposeEnvironment()
    {
        var lines = Docker("compose.yml").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("idp-a:", StringComparison.Ordinal));
        var block = lines.Skip(start).SkipWhile(l => l.Trim() != "environment:").Skip(1)
            .TakeWhile(l => l.StartsWith("      ", StringComparison.Ordinal) || l.Trim().Length == 0);
        return block.Select(l => EnvironmentLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value.Replace("__", ":"), m => m.Groups[2].Value.Trim());
    }

    private static string HealthPath() => HealthProbe().Match(Docker("Dockerfile")).Groups[1].Value;

    private static string RandomKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [GeneratedRegex(@"^\s{6}([A-Za-z_][A-Za-z0-9_]*):\s*(.+)$")]
    private static partial Regex EnvironmentLine();

    [GeneratedRegex(@"GET (/health/\w+) HTTP")]
    private static partial Regex HealthProbe();
}
