namespace WaIdentity.IdP.Pages.Developer;

/// <summary>A secret or key shown once with its copy button (<c>_SecretOnce</c>): <paramref name="Id"/> is the code element's id.</summary>
internal sealed record SecretOnce(string Id, string Label, string Value);
