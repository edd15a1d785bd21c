using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]
[assembly: RootNamespace("WaIdentity.Admin")]

namespace WaIdentity.Admin;

/// <summary>Marker for the portal's UI text, Resources/AdminText(.id).resx.</summary>
internal sealed class AdminText;
