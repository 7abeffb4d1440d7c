namespace ServerlessMonitor.Tests.Infra;

/// <summary>Web push keys reach the app as app settings from secure parameters, kept out of the deployment history.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class SubscriptionsInfraTests(CompiledInfra infra)
{
    [Theory]
    [InlineData("vapidPublicKey", "Subscriptions__VapidPublicKey")]
    [InlineData("vapidPrivateKey", "Subscriptions__VapidPrivateKey")]
    public void VapidKey_SecureParameterOfMainAndApp_WrittenAsTheAppSettingTheAppReads(string parameter, string setting)
    {
        Assert.Equal("securestring", infra.Main.Json["parameters"]?[parameter]?["type"]?.GetValue<string>());
        Assert.Equal("securestring", infra.PrimaryApp.Json["parameters"]?[parameter]?["type"]?.GetValue<string>());
        Assert.Equal($"[parameters('{parameter}')]", infra.PrimaryApp.PassedExpression(parameter));
        Assert.Equal($"[parameters('{parameter}')]", infra.AppSettings[setting]!.GetValue<string>());
        Assert.Equal($"[parameters('{parameter}')]", infra.ExtraApps.PassedExpression(parameter));
    }
}
