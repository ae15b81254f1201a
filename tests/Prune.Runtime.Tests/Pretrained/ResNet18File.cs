using System.Reflection;

namespace Prune.Runtime.Tests.Pretrained;

/// <summary>The ImageNet-pretrained ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, where NuGet restored it.</summary>
internal static class ResNet18File
{
    /// <summary>The package's folder in the NuGet cache (the test project's PkgMicrosoft_ML_DnnImageFeaturizer_ResNet18).</summary>
    public static string PackageFolder => typeof(ResNet18File).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Package").Value!;

    /// <summary>The model: input Input247 [1, 3, 224, 224], output Pooling395_Output_0, the 512 pooled features.</summary>
    public static string Onnx => Path.Combine(PackageFolder, "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
}
