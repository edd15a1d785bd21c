using WaIdentity.IdP.Cli;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// Runs a command of the executable (<c>clients list</c>, <c>admin create</c>, <c>--help</c>) in this process, through the
/// same entry point as <c>dotnet WaIdentity.IdP.dll</c>, with its own input and output: no dotnet process per command.
/// </summary>
public static class IdpCli
{
    public static async Task<IdpProcess.Result> RunAsync(string[] args, IReadOnlyDictionary<string, string?> settings, string? stdin = null, string environment = "Development")
    {
        var overrides = new Dictionary<string, string?>(settings);
        if (overrides.Remove("ASPNETCORE_ENVIRONMENT", out var named) && named is not null) environment = named;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = new CliConsole(new StringReader(stdin is null ? "" : stdin + "\n"), stdout, stderr);
        var exitCode = await IdpProgram.RunAsync(args, console, ["--environment", environment, "--contentRoot", RepoPaths.IdpProject], overrides);
        return new IdpProcess.Result(exitCode, stdout.ToString(), stderr.ToString());
    }
}
