// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | ge-opt --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC

// stream.kernel (symbol, unit, cube_flops / vector_flops cost descriptor, single-block body)
// and its terminator stream.yield. Defaults (unit = "vector", flops = 0) are elided in the
// custom form and printed in the generic form.

// CHECK-LABEL: stream.kernel @matmul_2x3x4 attributes {unit = "cube", cube_flops = 48 : i64} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<2x3xf32>, [[B:%.*]]: tensor<3x4xf32>):
// CHECK-NEXT: [[R:%.*]] = graph.matmul [[A]], [[B]] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: stream.yield [[R]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-GENERIC-LABEL: "stream.kernel"() <{sym_name = "matmul_2x3x4", unit = "cube", cube_flops = 48 : i64, vector_flops = 0 : i64}> ({
// CHECK-GENERIC-NEXT: ^bb0([[A:%.*]]: tensor<2x3xf32>, [[B:%.*]]: tensor<3x4xf32>):
// CHECK-GENERIC-NEXT: [[R:%.*]] = "graph.matmul"([[A]], [[B]]) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-GENERIC-NEXT: "stream.yield"([[R]]) : (tensor<2x4xf32>) -> ()
// CHECK-GENERIC-NEXT: }) : () -> ()
stream.kernel @matmul_2x3x4 attributes {unit = "cube", cube_flops = 48 : i64} {
^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}

// -----

// Default unit "vector" is elided; a cube kernel may also carry vector work (conv bias).

// CHECK-LABEL: stream.kernel @gelu attributes {vector_flops = 112 : i64} {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<2x4xf32>):
// CHECK-NEXT: [[G:%.*]] = graph.gelu [[X]] {approximate = "tanh"} : tensor<2x4xf32>
// CHECK-NEXT: stream.yield [[G]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @both attributes {unit = "cube", cube_flops = 10 : i64, vector_flops = 5 : i64} {
// CHECK-NEXT: ^bb0([[P:%.*]]: tensor<5xf16>):
// CHECK-NEXT: stream.yield [[P]] : tensor<5xf16>
// CHECK-NEXT: }
// CHECK-GENERIC-LABEL: "stream.kernel"() <{sym_name = "gelu", unit = "vector", vector_flops = 112 : i64, cube_flops = 0 : i64}> ({
// CHECK-GENERIC: "stream.kernel"() <{sym_name = "both", unit = "cube", cube_flops = 10 : i64, vector_flops = 5 : i64}> ({
stream.kernel @gelu attributes {unit = "vector", vector_flops = 112 : i64} {
^bb0(%x: tensor<2x4xf32>):
  %0 = graph.gelu %x {approximate = "tanh"} : tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @both attributes {unit = "cube", cube_flops = 10 : i64, vector_flops = 5 : i64} {
^bb0(%p: tensor<5xf16>):
  stream.yield %p : tensor<5xf16>
}

// -----

// unit "none": data movement / constants; a kernel without arguments (a constant) and one
// without results; several results from one op (split).

// CHECK-LABEL: stream.kernel @cst attributes {unit = "none"} {
// CHECK-NEXT: [[C:%.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: stream.yield [[C]] : tensor<2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @nothing attributes {unit = "none"} {
// CHECK-NEXT: stream.yield
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @split attributes {unit = "none"} {
// CHECK-NEXT: ^bb0([[IN:%.*]]: tensor<4x6xf16>):
// CHECK-NEXT: [[S0:%.*]], [[S1:%.*]] = graph.split [[IN]] {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
// CHECK-NEXT: stream.yield [[S0]], [[S1]] : tensor<4x2xf16>, tensor<4x4xf16>
// CHECK-NEXT: }
// CHECK-GENERIC-LABEL: "stream.kernel"() <{sym_name = "cst", unit = "none", cube_flops = 0 : i64, vector_flops = 0 : i64}> ({
// CHECK-GENERIC-NEXT: [[C:%.*]] = "graph.constant"() <{value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
// CHECK-GENERIC-NEXT: "stream.yield"([[C]]) : (tensor<2xf32>) -> ()
// CHECK-GENERIC: "stream.kernel"() <{sym_name = "nothing", unit = "none", cube_flops = 0 : i64, vector_flops = 0 : i64}> ({
// CHECK-GENERIC-NEXT: "stream.yield"() : () -> ()
// CHECK-GENERIC: "stream.kernel"() <{sym_name = "split", unit = "none", cube_flops = 0 : i64, vector_flops = 0 : i64}> ({
// CHECK-GENERIC: "stream.yield"({{%.*}}, {{%.*}}) : (tensor<4x2xf16>, tensor<4x4xf16>) -> ()
stream.kernel @cst attributes {unit = "none"} {
  %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  stream.yield %c : tensor<2xf32>
}
stream.kernel @nothing attributes {unit = "none"} {
  stream.yield
}
stream.kernel @split attributes {unit = "none"} {
^bb0(%in: tensor<4x6xf16>):
  %0, %1 = graph.split %in {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
  stream.yield %0, %1 : tensor<4x2xf16>, tensor<4x4xf16>
}

// -----

// A multi-op (fused) body with dynamic shapes; a discardable attribute survives the round trip.

// CHECK-LABEL: stream.kernel @fused attributes {fused_from = ["add", "relu"], vector_flops = 24 : i64} {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<?x4xbf16>, [[Y:%.*]]: tensor<4xbf16>):
// CHECK-NEXT: [[S:%.*]] = graph.add [[X]], [[Y]] : tensor<?x4xbf16>, tensor<4xbf16> -> tensor<?x4xbf16>
// CHECK-NEXT: [[R:%.*]] = graph.relu [[S]] : tensor<?x4xbf16>
// CHECK-NEXT: stream.yield [[S]], [[R]] : tensor<?x4xbf16>, tensor<?x4xbf16>
// CHECK-NEXT: }
// CHECK-GENERIC-LABEL: "stream.kernel"() <{sym_name = "fused", vector_flops = 24 : i64, unit = "vector", cube_flops = 0 : i64}> ({
// CHECK-GENERIC: "stream.yield"({{%.*}}, {{%.*}}) : (tensor<?x4xbf16>, tensor<?x4xbf16>) -> ()
// CHECK-GENERIC-NEXT: }) {fused_from = ["add", "relu"]} : () -> ()
stream.kernel @fused attributes {vector_flops = 24 : i64, fused_from = ["add", "relu"]} {
^bb0(%x: tensor<?x4xbf16>, %y: tensor<4xbf16>):
  %0 = graph.add %x, %y : tensor<?x4xbf16>, tensor<4xbf16> -> tensor<?x4xbf16>
  %1 = graph.relu %0 : tensor<?x4xbf16>
  stream.yield %0, %1 : tensor<?x4xbf16>, tensor<?x4xbf16>
}
