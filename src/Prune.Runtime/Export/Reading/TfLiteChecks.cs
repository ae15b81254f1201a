namespace Prune.Export;

/// <summary>
/// Structural checks of a <c>.tflite</c> file that <see cref="TfLiteReader"/> could read: every index points at
/// something that exists, constant data has the size its shape says, and operators run in an order that computes every
/// input before it is read. A file that fails one would crash or mislead a runtime; <c>dotnet prune inspect</c> refuses it.
/// </summary>
internal static class TfLiteChecks
{
    /// <summary>What is wrong with <paramref name="model"/>, one sentence each; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(TfLiteModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        var tensors = model.Tensors.Count;
        bool Valid(int index) => index >= 0 && index < tensors;

        foreach (var (what, indices) in new[] { ("input", model.Inputs), ("output", model.Outputs) })
        {
            if (indices.Count == 0) problems.Add($"The subgraph has no {what}.");
            foreach (var index in indices.Where(i => !Valid(i)))
                problems.Add($"The subgraph's {what} is tensor {index}, but it has {tensors} tensors.");
        }
        foreach (var tensor in model.Tensors)
        {
            if (tensor.Shape.Any(d => d < 0)) problems.Add($"Tensor {tensor.Index} ({tensor.Name}) has a negative dimension: [{string.Join(", ", tensor.Shape)}].");
            if (tensor.Buffer >= model.BufferSizes.Count)
                problems.Add($"Tensor {tensor.Index} ({tensor.Name}) reads buffer {tensor.Buffer}, but the file has {model.BufferSizes.Count} buffers.");
            else if (ConstantSizeProblem(tensor) is { } problem)
                problems.Add(problem);
        }

        // Execution order: an operator may read the subgraph's inputs, constants, and what earlier operators wrote.
        var available = new HashSet<int>(model.Inputs.Where(Valid));
        available.UnionWith(model.Tensors.Where(t => t.ByteSize > 0).Select(t => t.Index));
        for (var i = 0; i < model.Operators.Count; i++)
        {
            var op = model.Operators[i];
            foreach (var input in op.Inputs.Where(input => input != -1))
            {
                if (!Valid(input)) problems.Add($"Operator {i} ({op.Name}) reads tensor {input}, but the subgraph has {tensors} tensors.");
                else if (!available.Contains(input)) problems.Add($"Operator {i} ({op.Name}) reads tensor {input} ({model.Tensors[input].Name}) before any operator writes it.");
            }
            foreach (var output in op.Outputs)
            {
                if (!Valid(output)) problems.Add($"Operator {i} ({op.Name}) writes tensor {output}, but the subgraph has {tensors} tensors.");
                else available.Add(output);
            }
        }
        foreach (var output in model.Outputs.Where(o => Valid(o) && !available.Contains(o)))
            problems.Add($"The subgraph's output, tensor {output} ({model.Tensors[output].Name}), is written by no operator.");

        foreach (var signature in model.Signatures)
        {
            foreach (var (name, index) in signature.Inputs.Concat(signature.Outputs).Where(p => !Valid(p.Value)))
                problems.Add($"Signature '{signature.Key}' maps '{name}' to tensor {index}, but the subgraph has {tensors} tensors.");
        }
        return problems;
    }

    /// <summary>A dense constant must hold exactly its elements; a sparse one at most that many.</summary>
    private static string? ConstantSizeProblem(TfLiteTensorInfo tensor)
    {
        var size = TfLiteReader.ElementSize(tensor.Type);
        if (tensor.ByteSize == 0 || size == 0) return null;
        var expected = tensor.ElementCount * size;
        if (tensor.IsSparse ? tensor.ByteSize <= expected : tensor.ByteSize == expected) return null;
        return $"Tensor {tensor.Index} ({tensor.Name}) of shape [{string.Join(", ", tensor.Shape)}] holds {tensor.ByteSize:N0} bytes of {tensor.Type}; its shape needs {(tensor.IsSparse ? "at most " : "")}{expected:N0}.";
    }
}
