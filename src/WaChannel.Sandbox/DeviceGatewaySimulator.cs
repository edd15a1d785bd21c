using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The sandbox gateway's process: its sessions (each a <see cref="SimulatedSession"/> state machine), the simulated
/// business phone's groups and LIDs, and the acks of sent messages. Timings from Channel:Device:Emulator, on the app's
/// clock: a timed step (the end of STARTING, the next QR, FAILED, the link, the device's ack) happens once the clock
/// reaches it, so a test moves the clock instead of waiting. A call first applies what is due; between calls a short
/// timer from the clock does, while any step is pending.
/// </summary>
internal sealed class DeviceGatewaySimulator(
    DeviceGatewayWebhooks webhooks, IServiceScopeFactory scopes, IOptions<DeviceOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider clock) : IDisposable
{
    /// <summary>How often the timer looks for due steps while any is pending (a moved test clock is seen within this).</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedSession> _sessions = new();
    private readonly Dictionary<string, string> _lids = new();
    private readonly Dictionary<string, SandboxGroup> _groups = new();
    private readonly List<PendingAck> _acks = [];
    private ITimer? _timer;
    private bool _ticking;

    private sealed record PendingAck(DateTimeOffset Due, SimulatedSession Session, string MessageId, string ChatId);

    public bool Create(string name, bool start, string webhookUrl, string hmacKey)
    {
        lock (_gate)
        {
            if (_sessions.ContainsKey(name)) return false;
            _sessions[name] = new SimulatedSession(name, webhookUrl, hmacKey, options.Value.Emulator,
                (s, payload) => Emit(s, "session.status", payload));
        }
        if (start) Start(name);
        return true;
    }

    public JsonObject? Describe(string name)
    {
        lock (_gate)
            return Find(name) is { } s
                ? new JsonObject { ["name"] = s.Name, ["status"] = s.Status, ["me"] = s.Me(), ["engine"] = new JsonObject { ["engine"] = "NOWEB" } }
                : null;
    }

    public bool Start(string name) => With(name, (s, now) => s.Start(now));

    public bool Stop(string name) => With(name, (s, now) => s.End(DeviceStatus.Stopped, now));

    public bool Restart(string name) => Stop(name) && Start(name);

    /// <summary>Drops the link (as the gateway's logout); a running session starts over with a new QR.</summary>
    public bool Logout(string name)
    {
        var running = false;
        var known = With(name, (s, now) =>
        {
            running = s.Status != DeviceStatus.Stopped;
            s.End(DeviceStatus.Stopped, now, unlink: true);
        });
        return known && (!running || Start(name));
    }

    public bool Delete(string name)
    {
        Logout(name);
        Stop(name);
        lock (_gate) return _sessions.Remove(name);
    }

    public string? CurrentQr(string name) { lock (_gate) return Find(name)?.Qr; }

    /// <summary>A pairing code for the phone, or null outside the QR window (the gateway then answers 422).</summary>
    public string? RequestCode(string name, string digits) { lock (_gate) return Find(name)?.RequestCode(digits); }

    /// <summary>The phone scans a QR: it links only if that QR is the one on offer right now.</summary>
    public bool Scan(string name, string qr, string phoneDigits) => Linked(name, (s, now) => s.Scan(qr, phoneDigits, now));

    /// <summary>The phone types a pairing code: it links the number the code was requested for, inside the window only.</summary>
    public bool EnterCode(string name, string code) => Linked(name, (s, now) => s.EnterCode(code, now));

    /// <summary>The connection drops (the link survives): FAILED until restarted.</summary>
    public bool Disconnect(string name) => With(name, (s, now) => s.End(DeviceStatus.Failed, now));

    /// <summary>The phone removes the linked device: FAILED, and a restart needs a new scan.</summary>
    public bool Unlink(string name) => With(name, (s, now) => s.End(DeviceStatus.Failed, now, unlink: true));

    /// <summary>A person writes to the linked number; null when the device is not working (nothing can arrive).</summary>
    public string? Receive(string name, string fromDigits, string text, string? profileName, bool asLid)
    {
        lock (_gate)
        {
            if (Find(name) is not { Status: DeviceStatus.Working } s) return null;
            var from = fromDigits + "@c.us";
            if (asLid)
            {
                from = _lids.FirstOrDefault(p => p.Value == fromDigits).Key ?? RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue) + "00000@lid";
                _lids[from] = fromDigits;
            }
            var id = $"false_{from}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
            var data = new JsonObject { ["pushName"] = profileName };
            Emit(s, "message", new JsonObject
            {
                ["id"] = id, ["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds(), ["from"] = from, ["fromMe"] = false, ["source"] = "app",
                ["to"] = s.MeDigits + "@c.us", ["participant"] = null, ["body"] = text, ["hasMedia"] = false, ["ack"] = 1, ["ackName"] = "SERVER",
                ["vCards"] = new JsonArray(), ["replyTo"] = null, ["_data"] = data,
            });
            return id;
        }
    }

    /// <summary>A group the linked number is in, as a person would create one on their phone.</summary>
    public SandboxGroup CreateGroup(string subject, IReadOnlyList<string> memberPhones)
    {
        var id = "120363" + RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue) + RandomNumberGenerator.GetInt32(1000, 9999) + GroupChatId.Suffix;
        var group = new SandboxGroup(id, subject, memberPhones);
        lock (_gate) _groups[id] = group;
        return group;
    }

    public IReadOnlyList<SandboxGroup> Groups() { lock (_gate) return _groups.Values.ToList(); }

    public bool KnowsChat(string chatId) { lock (_gate) return !GroupChatId.IsGroup(chatId) || _groups.ContainsKey(chatId); }

    /// <summary>
    /// After a sendText: the server's ack at once, then the device's (every member's phone, for a group) once
    /// Emulator:AckDelayMilliseconds has passed on the clock, as `message.ack` webhooks in that order.
    /// </summary>
    public void AcknowledgeSent(string name, string messageId, string chatId)
    {
        lock (_gate)
        {
            if (Find(name) is not { } s) return;
            EmitAck(s, messageId, chatId, 1, "SERVER");
            _acks.Add(new PendingAck(clock.GetUtcNow().AddMilliseconds(options.Value.Emulator.AckDelayMilliseconds), s, messageId, chatId));
            Settle();
        }
    }

    public bool IsWorking(string name) { lock (_gate) return Find(name) is { Status: DeviceStatus.Working }; }

    public string? PhoneForLid(string lid) { lock (_gate) return _lids.TryGetValue(lid, out var pn) ? pn : null; }

    public void Dispose() { lock (_gate) _timer?.Dispose(); }

    private async Task DeliverAsync(PendingAck ack)
    {
        try
        {
            // The dev inbox shows what the phones did, like the other emulators' messages.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().Where(m => m.Id == ack.MessageId)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.State, "delivered"), lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException) { return; }
        lock (_gate) EmitAck(ack.Session, ack.MessageId, ack.ChatId, 2, "DEVICE");
    }

    private void EmitAck(SimulatedSession s, string messageId, string chatId, int ack, string ackName) =>
        Emit(s, "message.ack", new JsonObject
        {
            ["id"] = messageId, ["from"] = s.MeDigits + "@c.us", ["to"] = chatId, ["participant"] = null, ["fromMe"] = true,
            ["ack"] = ack, ["ackName"] = ackName,
        });

    private bool Linked(string name, Func<SimulatedSession, DateTimeOffset, bool> link)
    {
        var linked = false;
        return With(name, (s, now) => linked = link(s, now)) && linked;
    }

    private bool With(string name, Action<SimulatedSession, DateTimeOffset> action)
    {
        lock (_gate)
        {
            if (Find(name) is not { } s) return false;
            action(s, clock.GetUtcNow());
            Settle();
            return true;
        }
    }

    /// <summary>Under the lock: the session once every step due by now has happened.</summary>
    private SimulatedSession? Find(string name)
    {
        CatchUp();
        return _sessions.GetValueOrDefault(name);
    }

    /// <summary>Under the lock: applies every step due by now, each session's in order, and the acks that are due.</summary>
    private void CatchUp()
    {
        var now = clock.GetUtcNow();
        foreach (var s in _sessions.Values) s.CatchUp(now);
        foreach (var ack in _acks.Where(a => a.Due <= now).ToList())
        {
            _acks.Remove(ack);
            _ = Task.Run(() => DeliverAsync(ack));
        }
        Settle();
    }

    /// <summary>Under the lock: the timer runs while a step is pending, and stops when none is.</summary>
    private void Settle()
    {
        var pending = _acks.Count > 0 || _sessions.Values.Any(s => s.HasPendingStep);
        if (pending == _ticking) return;
        _ticking = pending;
        if (!pending) _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        else if (_timer is null) _timer = clock.CreateTimer(_ => { lock (_gate) CatchUp(); }, null, Poll, Poll);
        else _timer.Change(Poll, Poll);
    }

    private void Emit(SimulatedSession s, string evt, JsonObject payload)
    {
        var envelope = new JsonObject
        {
            ["id"] = "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13)),
            ["timestamp"] = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ["event"] = evt, ["session"] = s.Name, ["metadata"] = new JsonObject(), ["me"] = s.Me(), ["payload"] = payload,
            ["environment"] = new JsonObject { ["version"] = "sandbox", ["engine"] = "NOWEB", ["tier"] = "CORE" }, ["engine"] = "NOWEB",
        };
        webhooks.Post(s.WebhookUrl, s.HmacKey, envelope.ToJsonString());
    }
}
