using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

/// <summary>What an operator sees from <c>dotnet WaIdentity.IdP.dll</c>: help, and configuration problems, each on its own line.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Help_lists_the_commands_instead_of_starting_the_server(string flag)
    {
        // No database settings at all: help must not need one, nor bind a port.
        var result = await IdpCli.RunAsync([flag], new Dictionary<string, string?>(), environment: "Production");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "admin", "clients", "gateway", "webhooks" }) Assert.Contains($"  {verb} ", result.StdOut);
        Assert.Contains("--urls", result.StdOut);
        Assert.Equal("", result.StdErr);
    }

    [Fact]
    public async Task Help_of_a_verb_lists_its_commands_and_their_options()
    {
        var clients = await IdpCli.RunAsync(["clients", "--help"], new Dictionary<string, string?>(), environment: "Production");
        var create = await IdpCli.RunAsync(["clients", "create", "--help"], new Dictionary<string, string?>(), environment: "Production");

        Assert.Equal(0, clients.ExitCode);
        foreach (var command in new[] { "create", "list", "update", "delete" }) Assert.Contains($"  {command} ", clients.StdOut);
        Assert.Equal(0, create.ExitCode);
        Assert.Contains("--redirect-uri", create.StdOut);
        Assert.Contains("--public", create.StdOut);
    }

    [Fact]
    public async Task A_command_in_production_names_each_missing_setting_in_one_line_ending_with_a_newline()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var result = await IdpCli.RunAsync(["clients", "list"], db.Settings, environment: "Production");

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("\n", result.StdErr);
        var lines = result.StdErr.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Single(lines, l => l.StartsWith("Configuration error: DataProtection:KeyEncryptionKey: is required outside Development"));
        Assert.Single(lines, l => l.StartsWith("Configuration error: Login:Otp:CodeHashKey: is required outside Development"));
        Assert.Equal("", result.StdOut);
    }
}
