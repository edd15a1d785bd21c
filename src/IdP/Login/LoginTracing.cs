using System.Diagnostics;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.IdP.Login;

/// <summary>
/// The login's own spans. A login spans several requests: the phone number's POST (whose trace the code's outbox row
/// and the flow keep), then the code's entry, a separate browser request with a trace of its own, or the user's own
/// WhatsApp message arriving by webhook. The proof of the phone (<c>login.verify</c>) is placed in the login's trace,
/// as a child of the stored context, and linked both ways with the request or webhook it ran in: a span has one parent
/// but may link to any number of spans in other traces (OpenTelemetry's way of relating causally related traces).
/// </summary>
internal static class LoginTracing
{
    public const string SourceName = "WaIdentity.IdP.Login";
    public const string OutcomeTag = "waidentity.login.outcome";

    private static readonly ActivitySource Source = new(SourceName);

    /// <param name="loginTraceParent">The W3C trace context of the request that started the login; null starts the
    /// span under whatever runs now (an untraced start, or a flow from before traces were kept).</param>
    /// <param name="method">The login method's amr value ("otp", "wa"); never the phone or the code.</param>
    public static Activity? StartVerify(string? loginTraceParent, string method)
    {
        var running = Activity.Current;
        var login = ChannelTracing.ParentOf(loginTraceParent);
        var elsewhere = running is not null && login != default && running.TraceId != login.TraceId;
        var activity = Source.StartActivity("login.verify", ActivityKind.Internal, login,
            links: elsewhere ? [new ActivityLink(running!.Context)] : null);
        // The running request's trace points back, so an operator who finds that request finds the login.
        if (elsewhere && activity is not null) running!.AddLink(new ActivityLink(activity.Context));
        activity?.SetTag("waidentity.login.method", method);
        return activity;
    }
}
