using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Gateway;

public sealed record RegisterRequest(string Name, string Email, string Password);
public sealed record LoginRequest(string Email, string Password);
public sealed record AccountView(string Id, string? Name, string? Email, string? PhoneNumber, bool PhoneNumberVerified, bool TwoFactorEnabled, DateTimeOffset CreatedAt);

/// <summary>
/// /api/auth/register|login|me|logout for first-party apps, with WAPIZ's status codes. Users are the IdP's own
/// (ASP.NET Core Identity); the session is a server-side IdP session in the wa_token cookie (<see cref="AccountApiCookie"/>).
/// CSRF: state-changing calls take application/json only (a cross-site form cannot send it without a CORS preflight,
/// which is never granted) and the cookie is SameSite=Lax.
/// </summary>
public sealed class AccountApiEndpoints(UserManager<IdpUser> users, SessionSignIn sessions, PasswordRegistration registration, FixedWindowLimiter limiter, IOptionsMonitor<GatewayOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan LoginWindow = TimeSpan.FromMinutes(15);

    public async Task<IResult> RegisterAsync(HttpContext http)
    {
        if (!registration.Open) return Closed();
        var (body, bad) = await JsonBody.ReadAsync(http.Request);
        if (bad is not null) return bad;
        var result = await registration.RegisterAsync(body.String("name"), body.String("email"), body.String("password"), ClientIp.Of(http), http.RequestAborted);
        if (result.User is not { } user) return Problem(http, result);
        await SignInAsync(http, user);
        return Results.Json(new { user = View(user) }, JsonBody.Snake, statusCode: 201);
    }

    private IResult Problem(HttpContext http, RegistrationResult result) => result.Error switch
    {
        RegistrationError.Closed => Closed(),
        RegistrationError.Missing => GatewayProblem.Invalid($"Missing: {string.Join(", ", result.ErrorFields)}.", result.ErrorFields.ToDictionary(m => m, m => new[] { $"{m} is required." })),
        RegistrationError.PasswordTooShort => GatewayProblem.Invalid($"The password must have at least {registration.MinimumPasswordLength} characters.",
            new Dictionary<string, string[]> { ["password"] = [$"At least {registration.MinimumPasswordLength} characters."] }),
        RegistrationError.NotValid => GatewayProblem.Invalid("The name or e-mail address is not valid.", result.ErrorFields.ToDictionary(f => f, f => new[]
            { f == "email" ? "A valid e-mail address of at most 256 characters." : "At most 100 characters." })),
        RegistrationError.RateLimited => GatewayProblem.RateLimited(http, result.RetryAfter, "registration limit"),
        RegistrationError.EmailTaken => GatewayProblem.Write(409, "email-taken", "E-mail address taken", "An account with this e-mail address exists."),
        _ => GatewayProblem.Invalid(result.Detail ?? "The account could not be created."),
    };

    private static IResult Closed() => GatewayProblem.Write(403, "registration-closed", "Registration closed",
        "This server does not let people create password accounts themselves (Login:PasswordRegistration or Login:PasswordEnabled is off).");

    public async Task<IResult> LoginAsync(HttpContext http)
    {
        var (body, bad) = await JsonBody.ReadAsync(http.Request);
        if (bad is not null) return bad;
        var (email, password) = (body.String("email")?.Trim(), body.String("password"));
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password)) return GatewayProblem.Invalid("email and password are required.");
        var rules = options.CurrentValue.Account;
        foreach (var (bucket, subject) in new[] { ("account-login-ip", ClientIp.Of(http)), ("account-login-email", email.ToUpperInvariant()) })
        {
            var hit = await limiter.HitAsync(bucket, subject, rules.LoginAttemptsPer15Minutes, LoginWindow, http.RequestAborted);
            if (!hit.Allowed) return GatewayProblem.RateLimited(http, hit.RetryAfter(clock.GetUtcNow()), "login attempt limit");
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null || await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, password))
        {
            if (user is not null && !await users.IsLockedOutAsync(user)) await users.AccessFailedAsync(user);
            // One answer for unknown e-mail, wrong password and locked account (ASVS 6.3.8).
            return GatewayProblem.Write(401, "invalid-credentials", "Invalid credentials", "The e-mail address or password is wrong.");
        }
        await users.ResetAccessFailedCountAsync(user);
        // A password alone must not bypass a second factor (ASVS 6.3.4): such users log in through the IdP's pages.
        if (await users.GetTwoFactorEnabledAsync(user))
            return GatewayProblem.Write(403, "second-factor-required", "Second factor required", "This account uses two-factor login; sign in through the IdP's login page (OpenID Connect).");
        await SignInAsync(http, user);
        return Results.Json(new { user = View(user) }, JsonBody.Snake);
    }

    public async Task<IResult> MeAsync(HttpContext http)
    {
        var user = await CurrentAsync(http);
        return user is null ? NotSignedIn() : Results.Json(View(user), JsonBody.Snake);
    }

    /// <summary>GET /api/auth/logout: ends the session, clears the cookie, redirects to the site root.</summary>
    public async Task<IResult> LogoutAsync(HttpContext http)
    {
        await EndAsync(http);
        return Results.Redirect("/");
    }

    /// <summary>DELETE /api/auth/me: ends the session and clears the cookie (the account itself stays).</summary>
    public async Task<IResult> DeleteMeAsync(HttpContext http)
    {
        await EndAsync(http);
        return Results.Json(new { ok = true });
    }

    private async Task SignInAsync(HttpContext http, IdpUser user)
    {
        var session = await sessions.StartAsync(http, user.Id, [AuthenticationLevels.AmrPassword], AuthenticationLevels.OneFactor, http.RequestAborted);
        await http.SignInAsync(AccountApiCookie.Scheme, SessionSignIn.ToPrincipal(session));
    }

    private async Task<IdpUser?> CurrentAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AccountApiCookie.Scheme);
        var sub = result.Principal?.FindFirstValue(SessionClaims.Subject);
        return sub is null ? null : await users.FindByIdAsync(sub);
    }

    private async Task EndAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AccountApiCookie.Scheme);
        if (result.Principal?.FindFirstValue(SessionClaims.SessionId) is { } sid) await sessions.EndAsync(sid, http.RequestAborted);
        await http.SignOutAsync(AccountApiCookie.Scheme);
    }

    private static IResult NotSignedIn() => GatewayProblem.Write(401, "not-signed-in", "Not signed in", "Log in first (POST /api/auth/login).");

    private static AccountView View(IdpUser u) => new(u.Id, u.DisplayName ?? u.UserName, u.Email, u.PhoneNumber, u.PhoneNumberConfirmed, u.TwoFactorEnabled, u.CreatedAt);

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").DisableAntiforgery().WithTags("Account");
        auth.MapPost("/register", (HttpContext h, AccountApiEndpoints e) => e.RegisterAsync(h)).WithName("Register").Accepts<RegisterRequest>("application/json")
            .WithSummary("Create an account and sign in (wa_token cookie); 403 registration-closed when the policy is off").ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(429);
        auth.MapPost("/login", (HttpContext h, AccountApiEndpoints e) => e.LoginAsync(h)).WithName("Login").Accepts<LoginRequest>("application/json")
            .WithSummary("Sign in with e-mail and password (wa_token cookie)").ProducesProblem(400).ProducesProblem(401).ProducesProblem(429);
        auth.MapGet("/me", (HttpContext h, AccountApiEndpoints e) => e.MeAsync(h)).WithSummary("The signed-in account").Produces<AccountView>().ProducesProblem(401);
        auth.MapDelete("/me", (HttpContext h, AccountApiEndpoints e) => e.DeleteMeAsync(h)).WithSummary("Sign out (the account stays); answers { ok: true }");
        auth.MapGet("/logout", (HttpContext h, AccountApiEndpoints e) => e.LogoutAsync(h)).WithSummary("Sign out and redirect to /").Produces(302);
    }
}
