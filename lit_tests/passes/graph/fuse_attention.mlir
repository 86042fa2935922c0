// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s
// RUN: ge-opt %s --split-input-file -p fuse | ge-opt --split-input-file | filecheck %s
// With dce after fuse (as in the -O2/-O3 pipelines) the cloned-from constant is gone too.
// RUN: ge-opt %s --split-input-file -p fuse,dce | filecheck %s --check-prefix=DCE

// fuse, attention: matmul(q, k^T) -> scale (a scalar constant) -> mask -> softmax ->
// matmul(., v) is exactly one kernel of kind "attention". The scalar constant is cloned in;
// the original is dead outside (removed by dce).

// CHECK-LABEL: func.func @attention(%q: tensor<8x16xf32>, %k: tensor<8x16xf32>, %v: tensor<8x16xf32>, %mask: tensor<8x8xf32>) -> tensor<8x16xf32> {
// CHECK-NEXT: %scale = graph.constant dense<2.500000e-01> : tensor<f32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%q, %k, %mask, %v) {kind = "attention"} : (tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x8xf32>, tensor<8x16xf32>) -> tensor<8x16xf32> {
// CHECK-NEXT: ^bb0([[Q:%.*]]: tensor<8x16xf32>, [[K:%.*]]: tensor<8x16xf32>, [[M:%.*]]: tensor<8x8xf32>, [[V:%.*]]: tensor<8x16xf32>):
// CHECK-NEXT: [[S:%.*]] = graph.matmul [[Q]], [[K]] {transpose_b} : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x8xf32>
// CHECK-NEXT: [[C:%.*]] = graph.constant dense<2.500000e-01> : tensor<f32>
// CHECK-NEXT: [[SC:%.*]] = graph.mul [[S]], [[C]] : tensor<8x8xf32>, tensor<f32> -> tensor<8x8xf32>
// CHECK-NEXT: [[SM:%.*]] = graph.add [[SC]], [[M]] : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
// CHECK-NEXT: [[P:%.*]] = graph.softmax [[SM]] : tensor<8x8xf32>
// CHECK-NEXT: [[O:%.*]] = graph.matmul [[P]], [[V]] : tensor<8x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
// CHECK-NEXT: graph.yield [[O]] : tensor<8x16xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<8x16xf32>
// CHECK-NEXT: }
// DCE-LABEL: func.func @attention(
// DCE-NEXT: graph.fused(%q, %k, %mask, %v) {kind = "attention"}
// DCE-COUNT-1: graph.constant
// DCE-NOT: graph.constant
// DCE: func.return
func.func @attention(%q: tensor<8x16xf32>, %k: tensor<8x16xf32>, %v: tensor<8x16xf32>, %mask: tensor<8x8xf32>) -> tensor<8x16xf32> {
  %scale = graph.constant dense<0.25> : tensor<f32>
  %0 = graph.matmul %q, %k {transpose_b} : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x8xf32>
  %1 = graph.mul %0, %scale : tensor<8x8xf32>, tensor<f32> -> tensor<8x8xf32>
  %2 = graph.add %1, %mask : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  %3 = graph.softmax %2 : tensor<8x8xf32>
  %4 = graph.matmul %3, %v : tensor<8x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  func.return %4 : tensor<8x16xf32>
}

// -----

// Multi-head f16 attention on [B, h, S, d] with batch_matmul, a broadcast mask and the head
// merge (transpose + reshape) as the epilogue: still one attention kernel.

// CHECK-LABEL: func.func @heads(
// CHECK-NEXT: %scale = graph.constant
// CHECK-NEXT: [[R:%.*]] = graph.fused(%q, %k, %mask, %v) {kind = "attention"} : (tensor<2x4x8x16xf16>, tensor<2x4x8x16xf16>, tensor<1x1x8x8xf16>, tensor<2x4x8x16xf16>) -> tensor<2x8x64xf16> {
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.batch_matmul {{.*}} {transpose_b}
// CHECK-NEXT: graph.constant
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.softmax
// CHECK-NEXT: graph.batch_matmul
// CHECK-NEXT: graph.transpose
// CHECK-NEXT: graph.reshape
// CHECK-NEXT: graph.yield {{.*}} : tensor<2x8x64xf16>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<2x8x64xf16>
// CHECK-NEXT: }
func.func @heads(%q: tensor<2x4x8x16xf16>, %k: tensor<2x4x8x16xf16>, %v: tensor<2x4x8x16xf16>, %mask: tensor<1x1x8x8xf16>) -> tensor<2x8x64xf16> {
  %scale = graph.constant dense<0.25> : tensor<f16>
  %0 = graph.batch_matmul %q, %k {transpose_b} : tensor<2x4x8x16xf16>, tensor<2x4x8x16xf16> -> tensor<2x4x8x8xf16>
  %1 = graph.mul %0, %scale : tensor<2x4x8x8xf16>, tensor<f16> -> tensor<2x4x8x8xf16>
  %2 = graph.add %1, %mask : tensor<2x4x8x8xf16>, tensor<1x1x8x8xf16> -> tensor<2x4x8x8xf16>
  %3 = graph.softmax %2 : tensor<2x4x8x8xf16>
  %4 = graph.batch_matmul %3, %v : tensor<2x4x8x8xf16>, tensor<2x4x8x16xf16> -> tensor<2x4x8x16xf16>
  %5 = graph.transpose %4 {perm = array<i64: 0, 2, 1, 3>} : tensor<2x4x8x16xf16> -> tensor<2x8x4x16xf16>
  %6 = graph.reshape %5 : tensor<2x8x4x16xf16> -> tensor<2x8x64xf16>
  func.return %6 : tensor<2x8x64xf16>
}

// -----

// Scores whose softmax has no second matmul: matmul + softmax are one kernel, reported as a
// contraction (not attention).

// CHECK-LABEL: func.func @scores_only(
// CHECK-NEXT: [[R:%.*]] = graph.fused(%q, %k) {kind = "contraction"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.softmax
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]]
func.func @scores_only(%q: tensor<8x16xf32>, %k: tensor<8x16xf32>) -> tensor<8x8xf32> {
  %0 = graph.matmul %q, %k {transpose_b} : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x8xf32>
  %1 = graph.softmax %0 : tensor<8x8xf32>
  func.return %1 : tensor<8x8xf32>
}

// -----

// The probabilities are also returned: softmax has a consumer outside, so the second matmul
// is its own kernel (nothing is computed twice).

// CHECK-LABEL: func.func @probs_returned(
// CHECK-NEXT: [[P:%.*]] = graph.fused(%q, %k) {kind = "contraction"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.softmax
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: [[O:%.*]] = graph.matmul [[P]], %v
// CHECK-NEXT: func.return [[O]], [[P]]
func.func @probs_returned(%q: tensor<8x16xf32>, %k: tensor<8x16xf32>, %v: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x8xf32>) {
  %0 = graph.matmul %q, %k {transpose_b} : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x8xf32>
  %1 = graph.softmax %0 : tensor<8x8xf32>
  %2 = graph.matmul %1, %v : tensor<8x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  func.return %2, %1 : tensor<8x16xf32>, tensor<8x8xf32>
}
