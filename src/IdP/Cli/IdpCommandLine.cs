using System.CommandLine;

namespace WaIdentity.IdP.Cli;

/// <summary>
/// The command verbs of the executable (<c>admin ...</c>, <c>clients ...</c>). Each group builds its commands
/// from a lazy service provider, because the host is built only after we know a command was asked for.
/// </summary>
public sealed class IdpCommandLine
{
    private readonly string[] _args;
    private IServiceProvider? _services;

    private IdpCommandLine(string[] args) => _args = args;

    public static IdpCommandLine? TryCreate(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') ? new IdpCommandLine(args) : null;

    public Task<int> InvokeAsync(IServiceProvider services)
    {
        _services = services;
        var root = new RootCommand("WaIdentity: an OpenID Connect provider with WhatsApp login. Without a command it serves.");
        Func<IServiceProvider> provider = () => _services;
        root.Subcommands.Add(AdminCommands.Create(provider));
        root.Subcommands.Add(ClientCommands.Create(provider));
        foreach (var c in Gateway.GatewayCommands.Create(provider)) root.Subcommands.Add(c);
        return root.Parse(_args).InvokeAsync();
    }
}
