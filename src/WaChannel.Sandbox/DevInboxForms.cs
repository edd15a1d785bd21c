using Microsoft.AspNetCore.Http;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// How the dev inbox's forms answer. The page's script sends them in the background (Accept: application/json) and
/// shows a refusal next to the form; without script the browser posts and comes back to the page, which shows the
/// refusal named by <c>?failed=</c> (a fixed key, so no text is reflected from the address).
/// </summary>
internal static class DevInboxForms
{
    private static readonly Dictionary<string, string> Problems = new()
    {
        ["status"] = "That message is gone, or the status is not one the phone can report.",
        ["press"] = "That message is gone, or it has no such button.",
        ["fail-next"] = "Choose WhatsApp or SMS, a count from 1 to 100, and how the sends fail.",
        ["from"] = "The phone must be in international form, like +6281234567890.",
        ["text"] = "Write a message (at most 4096 characters).",
        ["scan"] = "Nothing to scan: the device is not waiting for a scan, or the phone is not in international form (+62…).",
        ["pair"] = "That pairing code is wrong, or its window has closed. Request a new code on the admin device page.",
        ["disconnect"] = "There is no device session to drop.",
        ["unlink"] = "There is no device session to unlink.",
        ["device-inbound"] = "The linked device is not working, so nothing can reach it. Link it first.",
        ["action"] = "The page asked for something the sandbox does not know. Reload it.",
        ["group"] = "Give the group a name (up to 100 characters) and 1 to 256 members in international form, separated by commas.",
    };

    public static string? Problem(string key) => Problems.GetValueOrDefault(key);

    /// <summary>204 or a problem for the script; a redirect back to the page otherwise.</summary>
    public static IResult Answer(HttpContext http, string? failed)
    {
        var wantsJson = http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        if (wantsJson)
            return failed is null ? Results.NoContent() : Results.Problem(Problems[failed], statusCode: StatusCodes.Status409Conflict);
        return Results.Redirect(failed is null ? "/dev/inbox" : "/dev/inbox?failed=" + failed);
    }
}
