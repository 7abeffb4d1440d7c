using Microsoft.OpenApi;
using ServerlessMonitor.Admin;

namespace ServerlessMonitor.Web;

/// <summary>The admin document's security: the admin key (apiKey in the X-Admin-Key header), required by every operation.</summary>
internal static class OpenApiAdminKey
{
    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OpenApiDocs.AdminKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminKeyFilter.Header,
            Description = "The admin key (Admin:Key, at least 16 characters). Wrong or missing: 401; repeated failures: 429 with Retry-After.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiDocs.AdminKeyScheme, document)] = [] }];
    }
}
