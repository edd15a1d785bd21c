namespace WaIdentity.IdP.Configuration;

/// <summary>
/// An options class that checks itself. Each problem is one line that starts with the full configuration key,
/// e.g. "Otp:LifetimeSeconds: must be between 30 and 900 (got -5)", so an operator knows what to fix.
/// </summary>
internal interface IValidatableOptions
{
    IEnumerable<string> Validate(string section);
}
