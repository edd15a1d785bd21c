using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// One gateway session as a state machine on the clock: STARTING, then a QR that rotates (the first long, later ones
/// short) until scanned or typed in as a pairing code, or FAILED after the last one; WORKING after linking. Each timed
/// step is due at a clock time and happens in <see cref="CatchUp"/> once the clock reaches it, stamped with its due
/// time, so a moved clock plays every step it passed, in order. Every transition goes to <paramref name="statusChanged"/>
/// (a `session.status` webhook). Not thread-safe: <see cref="DeviceGatewaySimulator"/> calls it under its lock.
/// </summary>
internal sealed class SimulatedSession(
    string name, string webhookUrl, string hmacKey, DeviceEmulatorOptions timing, Action<SimulatedSession, JsonObject> statusChanged)
{
    private const string CodeAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
    private readonly List<(string Status, long At)> _history = [];
    private Step _next;
    private DateTimeOffset _due;
    private int _qrsShown;
    private string? _linkingPhone;
    private string? _pairingPhone;

    private enum Step { None, Boot, NextQr, GiveUp, Link }

    public string Name { get; } = name;
    public string WebhookUrl { get; } = webhookUrl;
    public string HmacKey { get; } = hmacKey;
    public string Status { get; private set; } = DeviceStatus.Stopped;
    public string? MeDigits { get; private set; }
    public string? Qr { get; private set; }
    public string? PairingCode { get; private set; }
    public bool HasPendingStep => _next != Step.None;

    public JsonNode? Me() => MeDigits is null ? null : new JsonObject { ["id"] = MeDigits + "@c.us", ["pushName"] = "Sandbox Business" };

    /// <summary>Applies every step due by <paramref name="now"/>, in order.</summary>
    public void CatchUp(DateTimeOffset now)
    {
        while (_next != Step.None && _due <= now) Apply();
    }

    public void Start(DateTimeOffset now)
    {
        if (Status is DeviceStatus.Starting or DeviceStatus.ScanQrCode or DeviceStatus.Working) return;
        Cancel();
        SetStatus(DeviceStatus.Starting, now);
        Schedule(Step.Boot, now + Ms(timing.StartDelayMilliseconds));
    }

    /// <summary>Ends whatever runs: STOPPED, or FAILED when the connection dropped; <paramref name="unlink"/> also drops the link.</summary>
    public void End(string status, DateTimeOffset now, bool unlink = false)
    {
        if (unlink) MeDigits = null;
        Cancel();
        SetStatus(status, now);
    }

    /// <summary>A pairing code for the phone, or null outside the QR window.</summary>
    public string? RequestCode(string digits)
    {
        if (Status != DeviceStatus.ScanQrCode) return null;
        var code = new string(RandomNumberGenerator.GetBytes(8).Select(b => CodeAlphabet[b % CodeAlphabet.Length]).ToArray());
        PairingCode = code[..4] + "-" + code[4..];
        _pairingPhone = digits;
        return PairingCode;
    }

    /// <summary>The phone scans a QR: it links only if that QR is the one on offer right now.</summary>
    public bool Scan(string qr, string phoneDigits, DateTimeOffset now) => Link(Qr is not null && Qr == qr ? phoneDigits : null, now);

    /// <summary>The phone types a pairing code: it links the number the code was requested for, inside the window only.</summary>
    public bool EnterCode(string code, DateTimeOffset now) =>
        Link(PairingCode is not null && string.Equals(PairingCode.Replace("-", ""), code.Replace("-", "").Trim(), StringComparison.OrdinalIgnoreCase) ? _pairingPhone : null, now);

    private bool Link(string? phone, DateTimeOffset now)
    {
        if (Status != DeviceStatus.ScanQrCode || phone is null) return false;
        Cancel();
        _linkingPhone = phone;
        Schedule(Step.Link, now + Ms(timing.LinkDelayMilliseconds));
        return true;
    }

    private void Apply()
    {
        var (step, at) = (_next, _due);
        _next = Step.None;
        switch (step)
        {
            case Step.Boot when MeDigits is not null:
                SetStatus(DeviceStatus.Working, at);
                break;
            case Step.Boot:
                _qrsShown = 0;
                ShowQr(at);
                break;
            case Step.NextQr:
                ShowQr(at);
                break;
            case Step.GiveUp:
                SetStatus(DeviceStatus.Failed, at);
                break;
            case Step.Link:
                MeDigits = _linkingPhone;
                SetStatus(DeviceStatus.Working, at);
                break;
        }
    }

    /// <summary>A fresh QR that lives until the next one is due (the first of a window longer), or FAILED after the last.</summary>
    private void ShowQr(DateTimeOffset at)
    {
        Qr = NewQr();
        SetStatus(DeviceStatus.ScanQrCode, at);
        _qrsShown++;
        var lives = Ms(_qrsShown == 1 ? timing.FirstQrMilliseconds : timing.NextQrMilliseconds);
        Schedule(_qrsShown < timing.QrCount ? Step.NextQr : Step.GiveUp, at + lives);
    }

    private void Schedule(Step step, DateTimeOffset due) => (_next, _due) = (step, due);

    /// <summary>Drops whatever the session was about to do (a stop, a restart or a link supersedes it).</summary>
    private void Cancel()
    {
        _next = Step.None;
        Qr = _linkingPhone = null;
    }

    /// <summary>Leaving the QR window also ends the pairing code's life.</summary>
    private void SetStatus(string status, DateTimeOffset at)
    {
        if (status != DeviceStatus.ScanQrCode) Qr = PairingCode = _pairingPhone = null;
        Status = status;
        _history.Add((status, at.ToUnixTimeMilliseconds()));
        if (_history.Count > 3) _history.RemoveAt(0);
        var statuses = new JsonArray(_history.Select(h => (JsonNode)new JsonObject { ["status"] = h.Status, ["timestamp"] = h.At }).ToArray());
        statusChanged(this, new JsonObject { ["status"] = status, ["statuses"] = statuses, ["data"] = null });
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>ref,noise key,identity key,adv secret: the shape whatsmeow and Baileys put in the QR.</summary>
    private static string NewQr() =>
        string.Join(',', "2@" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
}
