using System.Diagnostics;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>Runs the real executable (dotnet WaIdentity.IdP.dll ...) as a separate process, as an operator would.</summary>
public static class IdpProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? stdin = null)
    {
        var psi = StartInfo(args, environment);
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Only where the test gives up: a start on a busy machine can take a minute or more.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// How every test starts the real executable: <c>dotnet WaIdentity.IdP.dll</c> in Development, with the IdP's content
    /// root, a free port unless the settings say otherwise, settings as environment variables, output captured.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(), UseShellExecute = false,
        };
        psi.ArgumentList.Add(RepoPaths.IdpAssembly);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_CONTENTROOT"] = RepoPaths.IdpProject;
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (k, v) in environment) psi.Environment[k.Replace(":", "__")] = v;
        return psi;
    }
}
