// A pre-norm transformer encoder layer (ge_compiler.models.transformer, one layer, hidden 32,
// 4 heads, FFN 64, then the final layer norm) becomes 5 kernels (from 30 compute ops): the QKV
// projections with the layer-norm-1 prologue (9 operands), their biases and head layout,
// attention, output projection + residual, FFN1 with the layer-norm-2 prologue, bias and gelu,
// FFN2 + residual with the final layer norm as its epilogue (rows of 32 fit one block).
// RUN: ge-opt %s -p 'canonicalize,cse,prune,fuse,dce,convert-graph-to-stream' | filecheck %s
// RUN: ge-opt %s -p 'canonicalize,cse,prune,fuse,dce' | filecheck %s --check-prefix=FUSED

// CHECK-COUNT-5: stream.kernel @
// CHECK-NOT: stream.kernel @
// CHECK-COUNT-5: stream.launch @
// CHECK-NOT: stream.launch @

// FUSED-COUNT-1: graph.fused{{.*}}kind = "attention"
// FUSED-NOT: graph.fused{{.*}}kind = "attention"

builtin.module {
  func.func @transformer(%hidden_states: tensor<1x8x32xf32>) -> tensor<1x8x32xf32> {
    %0 = graph.weight "layer0.ln1.weight" : tensor<32xf32>
    %1 = graph.weight "layer0.ln1.bias" : tensor<32xf32>
    %2 = graph.layer_norm %hidden_states, %0, %1 : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
    %3 = graph.weight "layer0.attn.q.weight" : tensor<32x32xf32>
    %4 = graph.matmul %2, %3 : tensor<1x8x32xf32>, tensor<32x32xf32> -> tensor<1x8x32xf32>
    %5 = graph.weight "layer0.attn.q.bias" : tensor<32xf32>
    %6 = graph.add %4, %5 : tensor<1x8x32xf32>, tensor<32xf32> -> tensor<1x8x32xf32>
    %7 = graph.reshape %6 : tensor<1x8x32xf32> -> tensor<1x8x4x8xf32>
    %8 = graph.transpose %7 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x8x4x8xf32> -> tensor<1x4x8x8xf32>
    %9 = graph.weight "layer0.attn.k.weight" : tensor<32x32xf32>
    %10 = graph.matmul %2, %9 : tensor<1x8x32xf32>, tensor<32x32xf32> -> tensor<1x8x32xf32>
    %11 = graph.weight "layer0.attn.k.bias" : tensor<32xf32>
    %12 = graph.add %10, %11 : tensor<1x8x32xf32>, tensor<32xf32> -> tensor<1x8x32xf32>
    %13 = graph.reshape %12 : tensor<1x8x32xf32> -> tensor<1x8x4x8xf32>
    %14 = graph.transpose %13 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x8x4x8xf32> -> tensor<1x4x8x8xf32>
    %15 = graph.weight "layer0.attn.v.weight" : tensor<32x32xf32>
    %16 = graph.matmul %2, %15 : tensor<1x8x32xf32>, tensor<32x32xf32> -> tensor<1x8x32xf32>
    %17 = graph.weight "layer0.attn.v.bias" : tensor<32xf32>
    %18 = graph.add %16, %17 : tensor<1x8x32xf32>, tensor<32xf32> -> tensor<1x8x32xf32>
    %19 = graph.reshape %18 : tensor<1x8x32xf32> -> tensor<1x8x4x8xf32>
    %20 = graph.transpose %19 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x8x4x8xf32> -> tensor<1x4x8x8xf32>
    %21 = graph.matmul %8, %14 {transpose_b} : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
    %22 = graph.constant dense<0.353553385> : tensor<f32>
    %23 = graph.mul %21, %22 : tensor<1x4x8x8xf32>, tensor<f32> -> tensor<1x4x8x8xf32>
    %24 = graph.softmax %23 : tensor<1x4x8x8xf32>
    %25 = graph.matmul %24, %20 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
    %26 = graph.transpose %25 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x8x8xf32> -> tensor<1x8x4x8xf32>
    %27 = graph.reshape %26 : tensor<1x8x4x8xf32> -> tensor<1x8x32xf32>
    %28 = graph.weight "layer0.attn.out.weight" : tensor<32x32xf32>
    %29 = graph.matmul %27, %28 : tensor<1x8x32xf32>, tensor<32x32xf32> -> tensor<1x8x32xf32>
    %30 = graph.weight "layer0.attn.out.bias" : tensor<32xf32>
    %31 = graph.add %29, %30 : tensor<1x8x32xf32>, tensor<32xf32> -> tensor<1x8x32xf32>
    %32 = graph.add %hidden_states, %31 : tensor<1x8x32xf32>, tensor<1x8x32xf32> -> tensor<1x8x32xf32>
    %33 = graph.weight "layer0.ln2.weight" : tensor<32xf32>
    %34 = graph.weight "layer0.ln2.bias" : tensor<32xf32>
    %35 = graph.layer_norm %32, %33, %34 : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
    %36 = graph.weight "layer0.ffn.fc1.weight" : tensor<32x64xf32>
    %37 = graph.matmul %35, %36 : tensor<1x8x32xf32>, tensor<32x64xf32> -> tensor<1x8x64xf32>
    %38 = graph.weight "layer0.ffn.fc1.bias" : tensor<64xf32>
    %39 = graph.add %37, %38 : tensor<1x8x64xf32>, tensor<64xf32> -> tensor<1x8x64xf32>
    %40 = graph.gelu %39 : tensor<1x8x64xf32>
    %41 = graph.weight "layer0.ffn.fc2.weight" : tensor<64x32xf32>
    %42 = graph.matmul %40, %41 : tensor<1x8x64xf32>, tensor<64x32xf32> -> tensor<1x8x32xf32>
    %43 = graph.weight "layer0.ffn.fc2.bias" : tensor<32xf32>
    %44 = graph.add %42, %43 : tensor<1x8x32xf32>, tensor<32xf32> -> tensor<1x8x32xf32>
    %45 = graph.add %32, %44 : tensor<1x8x32xf32>, tensor<1x8x32xf32> -> tensor<1x8x32xf32>
    %46 = graph.weight "final_ln.weight" : tensor<32xf32>
    %47 = graph.weight "final_ln.bias" : tensor<32xf32>
    %48 = graph.layer_norm %45, %46, %47 : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
    func.return %48 : tensor<1x8x32xf32>
  }
}
