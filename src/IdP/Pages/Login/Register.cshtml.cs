using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc.Interaction;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// Self-service password registration (name, email, password) through <see cref="PasswordRegistration"/>, the same
/// rules as POST /api/auth/register. Success signs in like a password login (new session, amr pwd) and moves on to
/// the OIDC returnUrl. Gone (404) while the policy does not allow registration.
/// </summary>
internal sealed class RegisterModel(PasswordRegistration registration, FirstFactorCompletion completion, ILoginRequestContextReader requests,
    IStringLocalizer<SharedResource> text, ILogger<RegisterModel> log) : PageModel
{
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!registration.Open) context.Result = NotFound();
    }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    public string? ClientName { get; private set; }
    public int MinimumPasswordLength => registration.MinimumPasswordLength;

    /// <summary>Errors by field ("name", "email", "password"); "form" for one that belongs to no field.</summary>
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>Set after a successful registration: the local URL the page moves on to.</summary>
    public string? ContinueUrl { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var context = await ReadContextAsync(ct);
        ClientName = context?.ClientName;
        Email ??= context?.EmailHint;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await registration.RegisterAsync(Name, Email, Password, ClientIp.Of(HttpContext), ct);
        if (result.User is not { } user)
        {
            Explain(result);
            Password = null;
            ClientName = (await ReadContextAsync(ct))?.ClientName;
            return Page();
        }
        log.LogInformation("Password registration created user {UserId}", user.Id);
        var done = await completion.CompleteAsync(HttpContext, user.Id, [AuthenticationLevels.AmrPassword], ReturnUrl ?? "/", null, ct);
        // Enrolment when a second factor is required: a redirect to our own page, which form-action 'self' allows.
        if (done.RedirectUrl is { } next) return LocalRedirect(next);
        // As after a password login: a 200 page that moves on by itself, never a redirect after the credential POST.
        ContinueUrl = LoginContinuation.Start(Response, ReturnUrl);
        return Page();
    }

    private void Explain(RegistrationResult result)
    {
        foreach (var (field, error) in result.FieldErrors)
            Errors[field] = error switch
            {
                RegistrationError.Missing => text[$"Register_Missing_{field}"],
                RegistrationError.PasswordTooShort => text["Register_PasswordTooShort", MinimumPasswordLength],
                RegistrationError.NotValid => text[$"Register_NotValid_{field}"],
                RegistrationError.EmailTaken => text["Register_EmailTaken"],
                _ => text[$"Register_Rejected_{field}"],
            };
        if (result.Error == RegistrationError.RateLimited)
            Errors["form"] = text["Register_RateLimited", Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalMinutes))];
    }

    private async Task<LoginRequestContext?> ReadContextAsync(CancellationToken ct) =>
        ReturnUrl is null ? null : await requests.ReadAsync(ReturnUrl, ct);
}
