using System.CommandLine;

namespace WaIdentity.IdP.Cli;

/// <summary>
/// The command verbs of the executable (<c>admin ...</c>, <c>clients ...</c>). Each group builds its commands
/// from a lazy service provider, because the host is built only after we know a command was asked for; a help
/// request (<c>--help</c>, <c>-h</c>, <c>-?</c>, alone or after a verb) is answered without building it at all.
/// </summary>
internal sealed class IdpCommandLine
{
    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "/?", "/h"];
    private readonly string[] _args;
    private readonly CliConsole _console;
    private IServiceProvider? _services;

    private IdpCommandLine(string[] args, CliConsole console)
    {
        _args = args;
        _console = console;
    }

    /// <summary>A command line when the first argument is a verb or the arguments ask for help; else null (serve).</summary>
    public static IdpCommandLine? TryCreate(string[] args, CliConsole console) =>
        args.Length > 0 && (!args[0].StartsWith('-') || IsHelp(args)) ? new IdpCommandLine(args, console) : null;

    /// <summary>Help is printed from the command tree alone: no configuration, database or schema is touched.</summary>
    public bool NeedsHost => !IsHelp(_args);

    private static bool IsHelp(string[] args) => args.Any(a => HelpTokens.Contains(a, StringComparer.OrdinalIgnoreCase));

    public Task<int> InvokeAsync(IServiceProvider? services)
    {
        _services = services;
        var root = new RootCommand("""
            WaIdentity: an OpenID Connect provider with WhatsApp login.
            Without a command it serves, e.g. --urls http://127.0.0.1:5000 --environment Production
            (settings come from appsettings.json, environment variables such as Database__Provider, and --Key=value).
            """);
        Func<IServiceProvider> provider = () => _services ?? throw new InvalidOperationException("This command needs the host.");
        root.Subcommands.Add(AdminCommands.Create(provider, _console));
        root.Subcommands.Add(ClientCommands.Create(provider, _console));
        root.Subcommands.Add(PhoneCommands.Create(provider, _console));
        foreach (var c in Gateway.GatewayCommands.Create(provider, _console)) root.Subcommands.Add(c);
        return root.Parse(_args).InvokeAsync(new InvocationConfiguration { Output = _console.Out, Error = _console.Error });
    }
}
