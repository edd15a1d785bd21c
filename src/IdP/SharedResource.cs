namespace WaIdentity.IdP;

/// <summary>
/// Marker for the UI strings in Resources/SharedResource.resx (English) and SharedResource.id.resx (Bahasa
/// Indonesia). Kept in the root namespace so the resource name matches without configuration.
/// </summary>
internal sealed class SharedResource;
