using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login;

/// <summary>Why a registration was refused; each caller words it its own way (problem+json, page text).</summary>
public enum RegistrationError { Closed, Missing, PasswordTooShort, NotValid, RateLimited, EmailTaken, Rejected }

/// <param name="Fields">The form fields the error belongs to ("name", "email", "password").</param>
/// <param name="Detail">Identity's own words for <see cref="RegistrationError.Rejected"/>.</param>
public sealed record RegistrationResult(IdpUser? User, RegistrationError? Error = null, IReadOnlyList<string>? Fields = null, TimeSpan RetryAfter = default, string? Detail = null)
{
    public IReadOnlyList<string> ErrorFields => Fields ?? [];
}

/// <summary>
/// Creating a password account (name, email, password) for the account API (POST /api/auth/register) and the
/// /login/register page alike: the same policy switch, checks, per-IP limit and Identity user. Signing in is the
/// caller's, since the API and the pages issue different cookies.
/// </summary>
public sealed class PasswordRegistration(UserManager<IdpUser> users, FixedWindowLimiter limiter, IOptionsMonitor<LoginOptions> login,
    IOptionsMonitor<GatewayOptions> gateway, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    /// <summary>The rate-limit bucket shared by the page and the API, so using both does not double the allowance.</summary>
    private const string Bucket = "account-register";

    /// <summary>Self-service registration is offered: the password method is on and the policy allows registration.</summary>
    public bool Open => login.CurrentValue is { PasswordEnabled: true, PasswordRegistration: true };

    /// <summary>Identity's minimum password length (8), said in error texts.</summary>
    public int MinimumPasswordLength => identity.Value.Password.RequiredLength;

    public async Task<RegistrationResult> RegisterAsync(string? name, string? email, string? password, string clientIp, CancellationToken ct)
    {
        if (!Open) return new(null, RegistrationError.Closed);
        (name, email) = (name?.Trim(), email?.Trim());
        var missing = new[] { ("name", name), ("email", email), ("password", password) }.Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
        if (missing.Count > 0) return new(null, RegistrationError.Missing, missing);
        if (password!.Length < MinimumPasswordLength) return new(null, RegistrationError.PasswordTooShort, ["password"]);
        var invalid = Invalid(name!, email!);
        if (invalid.Count > 0) return new(null, RegistrationError.NotValid, invalid);

        var limit = await limiter.HitAsync(Bucket, clientIp, gateway.CurrentValue.Account.RegistrationsPerHour, TimeSpan.FromHours(1), ct);
        if (!limit.Allowed) return new(null, RegistrationError.RateLimited, RetryAfter: limit.RetryAfter(clock.GetUtcNow()));
        // Password accounts log in by email, and phone accounts have the phone as UserName: either match means taken.
        if (await users.FindByEmailAsync(email!) is not null || await users.FindByNameAsync(email!) is not null)
            return new(null, RegistrationError.EmailTaken, ["email"]);

        var user = new IdpUser { UserName = email, Email = email, DisplayName = name, LockoutEnabled = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded) return new(user);
        // Password rules belong to the password field; anything else (characters Identity refuses in a user name,
        // a duplicate created a moment ago by another request) to the email.
        var field = created.Errors.All(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email";
        return new(null, RegistrationError.Rejected, [field], Detail: string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    private static List<string> Invalid(string name, string email)
    {
        var fields = new List<string>();
        if (name.Length > 100) fields.Add("name");
        if (email.Length > 256 || !email.Contains('@')) fields.Add("email");
        return fields;
    }
}
