using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Password;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Gateway;

internal sealed record RegisterRequest(string Name, string Email, string Password);
internal sealed record LoginRequest(string Email, string Password);
internal sealed record AccountView(string Id, string? Name, string? Email, string? PhoneNumber, bool PhoneNumberVerified, bool TwoFactorEnabled, DateTimeOffset CreatedAt);

/// <summary>
/// /api/auth/register|login|me|logout for first-party apps, with WAPIZ's status codes (and, when
/// <c>Gateway:Account:Compatibility=Wapiz</c>, its bodies: <see cref="AccountApiAnswers"/>). Users are the IdP's own
/// (ASP.NET Core Identity); the session is a server-side IdP session in the wa_token cookie (<see cref="AccountApiCookie"/>).
/// CSRF: state-changing calls take application/json only (a cross-site form cannot send it without a CORS preflight,
/// which is never granted), the cookie is SameSite=Lax (never sent on a cross-site POST), and no GET changes state.
/// </summary>
internal sealed class AccountApiEndpoints(UserManager<IdpUser> users, SessionSignIn sessions, PasswordRegistration registration, PasswordCheck passwords,
    AccountApiSession apiSession, AccountApiAnswers answers)
{
    private static readonly AccountApiError LoginFieldsMissing = new(400, "invalid-request", "Invalid request", "AccountApi_LoginFieldsRequired");

    public async Task<IResult> RegisterAsync(HttpContext http)
    {
        if (!registration.Open) return answers.Error(http, Closed);
        var read = await JsonBody.ReadAsync(http.Request);
        if (!read.Passed) return GatewayProblem.Denied(http, read.Error);
        var body = read.Value;
        var result = await registration.RegisterAsync(body.String("name"), body.String("email"), body.String("password"), ClientIp.Of(http), http.RequestAborted);
        if (result.User is not { } user) return answers.Error(http, Refusal(result));
        await SignInAsync(http, user);
        return await answers.SignedInAsync(user, 201);
    }

    private static readonly AccountApiError Closed = new(403, "registration-closed", "Registration closed", "AccountApi_RegistrationClosed");

    private AccountApiError Refusal(RegistrationResult result)
    {
        var min = new object[] { registration.MinimumPasswordLength };
        return result.Error switch
        {
            RegistrationError.Closed => Closed,
            RegistrationError.Missing => new(400, "invalid-request", "Invalid request", "AccountApi_Missing", [string.Join(", ", result.ErrorFields)],
                result.ErrorFields.ToDictionary(f => f, f => ("AccountApi_FieldRequired", (object[]?)[f]))),
            RegistrationError.PasswordTooShort => new(400, "invalid-request", "Invalid request", "AccountApi_PasswordTooShort", min,
                new Dictionary<string, (string, object[]?)> { ["password"] = ("AccountApi_PasswordTooShortField", min) }),
            RegistrationError.NotValid => new(400, "invalid-request", "Invalid request", "AccountApi_NotValid", null,
                result.ErrorFields.ToDictionary(f => f, f => (f == "email" ? "AccountApi_EmailNotValidField" : "AccountApi_NameNotValidField", (object[]?)null))),
            RegistrationError.RateLimited => new(429, "rate-limited", "Too many requests", "AccountApi_RegistrationLimited", RetryAfter: result.RetryAfter),
            RegistrationError.EmailTaken => new(409, "email-taken", "E-mail address taken", "AccountApi_EmailTaken"),
            _ => new(400, "invalid-request", "Invalid request", "AccountApi_NotCreated", [result.Detail ?? ""]),
        };
    }

    public async Task<IResult> LoginAsync(HttpContext http)
    {
        var read = await JsonBody.ReadAsync(http.Request);
        if (!read.Passed) return GatewayProblem.Denied(http, read.Error);
        var body = read.Value;
        var (email, password) = (body.String("email")?.Trim(), body.String("password"));
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password)) return answers.Error(http, LoginFieldsMissing);
        var check = await passwords.CheckAsync(email, password, ClientIp.Of(http), http.RequestAborted);
        if (check.Outcome == PasswordCheckOutcome.Throttled)
            return answers.Error(http, new(429, "rate-limited", "Too many requests", "AccountApi_LoginLimited", RetryAfter: check.RetryAfter));
        // One answer for unknown e-mail, wrong password and locked account (ASVS 6.3.8).
        if (check.User is not { } user) return answers.Error(http, new(401, "invalid-credentials", "Invalid credentials", "AccountApi_InvalidCredentials"));
        // A password alone must not bypass a second factor (ASVS 6.3.4): such users log in through the IdP's pages.
        if (await users.GetTwoFactorEnabledAsync(user))
            return answers.Error(http, new(403, "second-factor-required", "Second factor required", "AccountApi_SecondFactorRequired"));
        await SignInAsync(http, user);
        return await answers.SignedInAsync(user, 200);
    }

    public async Task<IResult> MeAsync(HttpContext http)
    {
        var user = await AccountApiSession.SubjectAsync(http) is { } sub ? await users.FindByIdAsync(sub) : null;
        return user is null ? answers.Error(http, new(401, "not-signed-in", "Not signed in", "AccountApi_NotSignedIn")) : await answers.MeAsync(user);
    }

    /// <summary>
    /// GET /api/auth/logout, for a browser following a "sign out" link: changes nothing (a GET must not, or any page
    /// could sign a visitor out with an image). A signed-in browser goes to the /logout page, whose button signs out
    /// and leads to the login page; a signed-out one goes to the login page at once.
    /// </summary>
    public async Task<IResult> LogoutPageAsync(HttpContext http) =>
        Results.Redirect(await AccountApiSession.SubjectAsync(http) is null ? "/login" : "/logout");

    /// <summary>POST /api/auth/logout and DELETE /api/auth/me: end the session and clear the cookie (the account stays).</summary>
    public async Task<IResult> SignOutAsync(HttpContext http)
    {
        await apiSession.EndAsync(http, http.RequestAborted);
        return AccountApiAnswers.SignedOut();
    }

    private async Task SignInAsync(HttpContext http, IdpUser user)
    {
        var session = await sessions.StartAsync(http, user.Id, [AuthenticationLevels.AmrPassword], AuthenticationLevels.OneFactor, http.RequestAborted);
        await http.SignInAsync(AccountApiCookie.Scheme, SessionSignIn.ToPrincipal(session));
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").DisableAntiforgery().WithTags("Account");
        auth.MapPost("/register", (HttpContext h, AccountApiEndpoints e) => e.RegisterAsync(h)).WithName("Register").Accepts<RegisterRequest>("application/json")
            .WithSummary("Create an account and sign in (wa_token cookie); 403 registration-closed when the policy is off").ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(429);
        auth.MapPost("/login", (HttpContext h, AccountApiEndpoints e) => e.LoginAsync(h)).WithName("Login").Accepts<LoginRequest>("application/json")
            .WithSummary("Sign in with e-mail and password (wa_token cookie); 429 with Retry-After after too many failures").ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);
        auth.MapGet("/me", (HttpContext h, AccountApiEndpoints e) => e.MeAsync(h)).WithSummary("The signed-in account").Produces<AccountView>().ProducesProblem(401);
        auth.MapDelete("/me", (HttpContext h, AccountApiEndpoints e) => e.SignOutAsync(h)).WithSummary("Sign out (the account stays); answers { ok: true }");
        auth.MapPost("/logout", (HttpContext h, AccountApiEndpoints e) => e.SignOutAsync(h)).WithSummary("Sign out (the account stays); answers { ok: true }");
        auth.MapGet("/logout", (HttpContext h, AccountApiEndpoints e) => e.LogoutPageAsync(h))
            .WithSummary("For browsers: changes nothing; 302 to the /logout page (signed in) or to /login (signed out). Apps sign out with POST /logout or DELETE /me").Produces(302);
    }
}
