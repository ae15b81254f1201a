namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 code declare records and init-only setters (the type ships only with .NET 5+).</summary>
internal static class IsExternalInit;
