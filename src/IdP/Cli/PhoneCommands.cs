using System.CommandLine;
using System.Text.Json;
using WaIdentity.IdP.Login.Phones;

namespace WaIdentity.IdP.Cli;

/// <summary><c>phones check</c>: the stored numbers today's phone rules would refuse, listed for an operator, never rewritten.</summary>
internal static class PhoneCommands
{
    public static Command Create(Func<IServiceProvider> services, CliConsole console)
    {
        var check = new Command("check",
            "List accounts whose stored phone number the numbering plans call invalid or not canonical, as a JSON array. Nothing is changed.");
        check.SetAction(async (_, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            var problems = await scope.ServiceProvider.GetRequiredService<StoredPhoneCheck>().FindAsync(ct);
            console.Out.WriteLine(JsonSerializer.Serialize(problems.Select(p => new { userId = p.UserId, phone = p.Phone, problem = p.Problem, canonical = p.Canonical })));
            return 0;
        });
        return new Command("phones", "Check stored phone numbers.") { check };
    }
}
