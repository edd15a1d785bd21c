namespace WaIdentity.IdP.Cli;

/// <summary>Where the command line reads and writes: the process's console, or a test's own writers (in-process runs).</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System => new(Console.In, Console.Out, Console.Error);
}
