// RUN: ge-opt %s --split-input-file -p convert-graph-to-stream | filecheck %s
// The output is valid stream-level IR that re-parses and prints the same.
// RUN: ge-opt %s --split-input-file -p convert-graph-to-stream | ge-opt --split-input-file | filecheck %s

// convert-graph-to-stream: each graph op is outlined into a stream.kernel named
// <function>_k<index>_<op> (inserted before the function, with its cost descriptor) and
// replaced by a stream.launch; each graph.weight stays a host value and gets a
// stream.copy "h2d" whose device result the consumers use and whose timepoint they await.

// matmul 2x3 . 3x4: cube_flops = 2 * (2*4) * 3 = 48; add 2x4: vector_flops = 8;
// gelu 2x4: 14 per element = 112.

// CHECK-LABEL: stream.kernel @mlp_k0_matmul attributes {unit = "cube", cube_flops = 48 : i64, gemm = array<i64: 1, 2, 4, 3>} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<2x3xf32>, [[B:%.*]]: tensor<3x4xf32>):
// CHECK-NEXT: [[R:%.*]] = graph.matmul [[A]], [[B]] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: stream.yield [[R]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @mlp_k1_add attributes {vector_flops = 8 : i64} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<2x4xf32>, [[B:%.*]]: tensor<4xf32>):
// CHECK-NEXT: [[R:%.*]] = graph.add [[A]], [[B]] : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: stream.yield [[R]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @mlp_k2_gelu attributes {vector_flops = 112 : i64} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<2x4xf32>):
// CHECK-NEXT: [[R:%.*]] = graph.gelu [[A]] : tensor<2x4xf32>
// CHECK-NEXT: stream.yield [[R]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-LABEL: func.func @mlp(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT: [[WH:%.*]] = graph.weight "fc.weight" : tensor<3x4xf32>
// CHECK-NEXT: [[WD:%.*]], [[WT:%.*]] = stream.copy "h2d" [[WH]] : tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK-NEXT: [[BH:%.*]] = graph.weight "fc.bias" : tensor<4xf32>
// CHECK-NEXT: [[BD:%.*]], [[BT:%.*]] = stream.copy "h2d" [[BH]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: [[MM:%.*]], {{%.*}} = stream.launch @mlp_k0_matmul(%x, [[WD]]) await([[WT]]) : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: [[ADD:%.*]], {{%.*}} = stream.launch @mlp_k1_add([[MM]], [[BD]]) await([[BT]]) : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>)
// Same-stream producer: no await.
// CHECK-NEXT: [[G:%.*]], {{%.*}} = stream.launch @mlp_k2_gelu([[ADD]]) : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: func.return [[G]] : tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-NOT: graph.matmul
func.func @mlp(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "fc.weight" : tensor<3x4xf32>
  %b = graph.weight "fc.bias" : tensor<4xf32>
  %0 = graph.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = graph.add %0, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %2 = graph.gelu %1 : tensor<2x4xf32>
  func.return %2 : tensor<2x4xf32>
}

// -----

// graph.constant becomes an argument-less kernel of unit "none"; op properties
// (transpose_b, approximate) and SSA names are kept in the outlined body; a weight used
// twice by one op is awaited once.

// CHECK-LABEL: stream.kernel @consts_k0_constant attributes {unit = "none"} {
// CHECK-NEXT: [[C:%.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf16>
// CHECK-NEXT: stream.yield [[C]] : tensor<3xf16>
// CHECK-NEXT: }
// matmul 4x3 . (3x3)^T: 2 * 12 * 3 = 72.
// CHECK-NEXT: stream.kernel @consts_k1_matmul attributes {unit = "cube", cube_flops = 72 : i64, gemm = array<i64: 1, 4, 3, 3>} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<4x3xf16>, [[B:%.*]]: tensor<3x3xf16>):
// CHECK-NEXT: [[M:%.*]] = graph.matmul [[A]], [[B]] {transpose_b} : tensor<4x3xf16>, tensor<3x3xf16> -> tensor<4x3xf16>
// CHECK-NEXT: stream.yield [[M]] : tensor<4x3xf16>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @consts_k2_add attributes {vector_flops = 12 : i64} {
// CHECK: stream.kernel @consts_k3_mul attributes {vector_flops = 9 : i64} {
// CHECK-LABEL: func.func @consts(%x: tensor<4x3xf16>) -> (tensor<4x3xf16>, tensor<3x3xf16>) {
// CHECK-NEXT: [[SH:%.*]] = graph.weight "sq" : tensor<3x3xf16>
// CHECK-NEXT: [[SD:%.*]], [[ST:%.*]] = stream.copy "h2d" [[SH]] : tensor<3x3xf16> -> tensor<3x3xf16>
// CHECK-NEXT: [[C:%.*]], {{%.*}} = stream.launch @consts_k0_constant() : () -> (tensor<3xf16>)
// CHECK-NEXT: [[M:%.*]], {{%.*}} = stream.launch @consts_k1_matmul(%x, [[SD]]) await([[ST]]) : (tensor<4x3xf16>, tensor<3x3xf16>) -> (tensor<4x3xf16>)
// CHECK-NEXT: [[S:%.*]], {{%.*}} = stream.launch @consts_k2_add([[M]], [[C]]) : (tensor<4x3xf16>, tensor<3xf16>) -> (tensor<4x3xf16>)
// CHECK-NEXT: [[Q:%.*]], {{%.*}} = stream.launch @consts_k3_mul([[SD]], [[SD]]) await([[ST]]) : (tensor<3x3xf16>, tensor<3x3xf16>) -> (tensor<3x3xf16>)
// CHECK-NEXT: func.return [[S]], [[Q]] : tensor<4x3xf16>, tensor<3x3xf16>
func.func @consts(%x: tensor<4x3xf16>) -> (tensor<4x3xf16>, tensor<3x3xf16>) {
  %sq = graph.weight "sq" : tensor<3x3xf16>
  %c = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf16>
  %0 = graph.matmul %x, %sq {transpose_b} : tensor<4x3xf16>, tensor<3x3xf16> -> tensor<4x3xf16>
  %1 = graph.add %0, %c : tensor<4x3xf16>, tensor<3xf16> -> tensor<4x3xf16>
  %2 = graph.mul %sq, %sq : tensor<3x3xf16>, tensor<3x3xf16> -> tensor<3x3xf16>
  func.return %1, %2 : tensor<4x3xf16>, tensor<3x3xf16>
}

// -----

// Multi-result ops (split) give multi-result launches; data movement ops are unit "none";
// a weight returned directly is returned as its device copy; transposed-A batch matmul:
// 2 * (2*4*5) * 3 = 240.

// CHECK-LABEL: stream.kernel @multi_k0_split attributes {unit = "none"} {
// CHECK-NEXT: ^bb0([[IN:%.*]]: tensor<4x6xf32>):
// CHECK-NEXT: [[P0:%.*]], [[P1:%.*]] = graph.split [[IN]] {axis = 1 : i64} : tensor<4x6xf32> -> tensor<4x2xf32>, tensor<4x4xf32>
// CHECK-NEXT: stream.yield [[P0]], [[P1]] : tensor<4x2xf32>, tensor<4x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @multi_k1_batch_matmul attributes {unit = "cube", cube_flops = 240 : i64, gemm = array<i64: 2, 4, 5, 3>} {
// CHECK-LABEL: func.func @multi(%x: tensor<4x6xf32>, %a: tensor<2x3x4xf32>, %b: tensor<2x3x5xf32>) -> (tensor<4x2xf32>, tensor<4x4xf32>, tensor<2x4x5xf32>, tensor<4xf32>) {
// CHECK-NEXT: [[VH:%.*]] = graph.weight "v" : tensor<4xf32>
// CHECK-NEXT: [[VD:%.*]], {{%.*}} = stream.copy "h2d" [[VH]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: [[S0:%.*]], [[S1:%.*]], {{%.*}} = stream.launch @multi_k0_split(%x) : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x4xf32>)
// CHECK-NEXT: [[BM:%.*]], {{%.*}} = stream.launch @multi_k1_batch_matmul(%a, %b) : (tensor<2x3x4xf32>, tensor<2x3x5xf32>) -> (tensor<2x4x5xf32>)
// CHECK-NEXT: func.return [[S0]], [[S1]], [[BM]], [[VD]] : tensor<4x2xf32>, tensor<4x4xf32>, tensor<2x4x5xf32>, tensor<4xf32>
func.func @multi(%x: tensor<4x6xf32>, %a: tensor<2x3x4xf32>, %b: tensor<2x3x5xf32>) -> (tensor<4x2xf32>, tensor<4x4xf32>, tensor<2x4x5xf32>, tensor<4xf32>) {
  %v = graph.weight "v" : tensor<4xf32>
  %0, %1 = graph.split %x {axis = 1 : i64} : tensor<4x6xf32> -> tensor<4x2xf32>, tensor<4x4xf32>
  %2 = graph.batch_matmul %a, %b {transpose_a} : tensor<2x3x4xf32>, tensor<2x3x5xf32> -> tensor<2x4x5xf32>
  func.return %0, %1, %2, %v : tensor<4x2xf32>, tensor<4x4xf32>, tensor<2x4x5xf32>, tensor<4xf32>
}

// -----

// Kernel names are per function (the index restarts); declarations are left alone; a
// function without ops is unchanged.

// CHECK-LABEL: func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: stream.kernel @first_k0_exp attributes {vector_flops = 16 : i64} {
// CHECK: func.func @first(
// CHECK-NEXT: stream.launch @first_k0_exp(%x)
// CHECK: stream.kernel @second_k0_neg attributes {vector_flops = 2 : i64} {
// CHECK: stream.kernel @second_k1_neg attributes {vector_flops = 2 : i64} {
// CHECK: func.func @second(
// CHECK-NEXT: [[N0:%.*]], {{%.*}} = stream.launch @second_k0_neg(%x)
// CHECK-NEXT: {{%.*}}, {{%.*}} = stream.launch @second_k1_neg([[N0]])
// CHECK-LABEL: func.func @identity(%x: tensor<2xf32>) -> tensor<2xf32> {
// CHECK-NEXT: func.return %x : tensor<2xf32>
func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
func.func @first(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.exp %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func @second(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.neg %x : tensor<2xf32>
  %1 = graph.neg %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
func.func @identity(%x: tensor<2xf32>) -> tensor<2xf32> {
  func.return %x : tensor<2xf32>
}
