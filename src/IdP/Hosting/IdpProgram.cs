using Microsoft.Extensions.Options;
using WaIdentity.IdP.Cli;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// The one executable: with a command word (admin, clients, ...) it runs that command against the configured
/// database; with --help it prints the commands; otherwise it serves. Configuration and schema problems end the
/// process with one clear line each.
/// </summary>
internal static class IdpProgram
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliConsole.System);

    /// <param name="hostArgs">Host arguments for a command run in-process (tests: --environment, --contentRoot).</param>
    /// <param name="overrides">Settings over every other source, for a command run in-process.</param>
    public static async Task<int> RunAsync(string[] args, CliConsole console, string[]? hostArgs = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        try
        {
            var commandLine = IdpCommandLine.TryCreate(args, console);
            if (commandLine is { NeedsHost: false }) return await commandLine.InvokeAsync(null);
            var app = IdpApp.Build(commandLine is null ? args : hostArgs ?? [], overrides, commandLine: commandLine is not null);
            await PrepareAsync(app);
            if (commandLine is not null) return await commandLine.InvokeAsync(app.Services);
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (ConfigurationProblems.Of(e) is { } problems)
        {
            // Several options classes may fail at once: list every problem, not only the first class's.
            foreach (var problem in problems) console.Error.WriteLine($"Configuration error: {problem}");
            return 2;
        }
        catch (SchemaTooNewException e)
        {
            console.Error.WriteLine(e.Message);
            return 3;
        }
    }

    /// <summary>Validates every options class, then brings the schema up to date. Runs before the host serves.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        DatabaseConfigurator.PrepareSqliteFile(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
    }
}
