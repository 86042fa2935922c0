// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s
// RUN: ge-opt %s --split-input-file -p fuse | ge-opt --split-input-file | filecheck %s

// fuse, horizontal: sibling matmuls that read the same activation share one kernel that reads
// it once, and a layer/RMS norm whose only consumers are those matmuls becomes the kernel's
// prologue.

// Q/K/V projections of one layer-normalized input: one kernel with three results, the norm
// inside.

// CHECK-LABEL: func.func @qkv(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
// CHECK-NEXT: %g = graph.weight "ln.weight" : tensor<8xf32>
// CHECK-NEXT: %be = graph.weight "ln.bias" : tensor<8xf32>
// CHECK-NEXT: %wq = graph.weight "q.weight" : tensor<8x8xf32>
// CHECK-NEXT: %wk = graph.weight "k.weight" : tensor<8x8xf32>
// CHECK-NEXT: %wv = graph.weight "v.weight" : tensor<8x8xf32>
// CHECK-NEXT: %q, %k, %v = graph.fused(%x, %g, %be, %wq, %wk, %wv) {kind = "contraction"} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x8xf32>, [[G:%.*]]: tensor<8xf32>, [[BE:%.*]]: tensor<8xf32>, [[WQ:%.*]]: tensor<8x8xf32>, [[WK:%.*]]: tensor<8x8xf32>, [[WV:%.*]]: tensor<8x8xf32>):
// CHECK-NEXT: [[N:%.*]] = graph.layer_norm [[X]], [[G]], [[BE]] : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: [[Q:%.*]] = graph.matmul [[N]], [[WQ]] : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: [[K:%.*]] = graph.matmul [[N]], [[WK]] : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: [[V:%.*]] = graph.matmul [[N]], [[WV]] : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: graph.yield [[Q]], [[K]], [[V]] : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
// CHECK-NEXT: }
func.func @qkv(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %g = graph.weight "ln.weight" : tensor<8xf32>
  %be = graph.weight "ln.bias" : tensor<8xf32>
  %wq = graph.weight "q.weight" : tensor<8x8xf32>
  %wk = graph.weight "k.weight" : tensor<8x8xf32>
  %wv = graph.weight "v.weight" : tensor<8x8xf32>
  %n = graph.layer_norm %x, %g, %be : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %q = graph.matmul %n, %wq : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %k = graph.matmul %n, %wk : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %v = graph.matmul %n, %wv : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  func.return %q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Siblings with their own epilogues (bias, head split): each epilogue comes with its matmul;
// one kernel. The input is a function argument (no norm).

// CHECK-LABEL: func.func @qk_heads(
// CHECK-NEXT: %wq = graph.weight
// CHECK-NEXT: %bq = graph.weight
// CHECK-NEXT: %wk = graph.weight
// CHECK-NEXT: %bk = graph.weight
// CHECK-NEXT: [[R0:%.*]], [[R1:%.*]] = graph.fused(%x, %wq, %bq, %wk, %bk) {kind = "contraction"} : {{.*}} -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>) {
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.reshape
// CHECK-NEXT: graph.transpose
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.reshape
// CHECK-NEXT: graph.transpose
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R0]], [[R1]]
// CHECK-NEXT: }
func.func @qk_heads(%x: tensor<4x8xf32>) -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>) {
  %wq = graph.weight "q.weight" : tensor<8x8xf32>
  %bq = graph.weight "q.bias" : tensor<8xf32>
  %0 = graph.matmul %x, %wq : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %1 = graph.add %0, %bq : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %2 = graph.reshape %1 : tensor<4x8xf32> -> tensor<4x2x4xf32>
  %3 = graph.transpose %2 {perm = array<i64: 1, 0, 2>} : tensor<4x2x4xf32> -> tensor<2x4x4xf32>
  %wk = graph.weight "k.weight" : tensor<8x8xf32>
  %bk = graph.weight "k.bias" : tensor<8xf32>
  %4 = graph.matmul %x, %wk : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %5 = graph.add %4, %bk : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %6 = graph.reshape %5 : tensor<4x8xf32> -> tensor<4x2x4xf32>
  %7 = graph.transpose %6 {perm = array<i64: 1, 0, 2>} : tensor<4x2x4xf32> -> tensor<2x4x4xf32>
  func.return %3, %7 : tensor<2x4x4xf32>, tensor<2x4x4xf32>
}

// -----

// RMS norm feeding one matmul: the norm is its prologue (one kernel).

// CHECK-LABEL: func.func @rms_prologue(
// CHECK-NEXT: %w = graph.weight
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %g, %w) {kind = "contraction"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.rms_norm
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.silu
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]]
func.func @rms_prologue(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x16xf32> {
  %w = graph.weight "up.weight" : tensor<8x16xf32>
  %0 = graph.rms_norm %x, %g : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = graph.matmul %0, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %2 = graph.silu %1 : tensor<4x16xf32>
  func.return %2 : tensor<4x16xf32>
}

// -----

// A norm feeding a matmul as its right operand is not a row prologue; neither is a norm with
// another consumer. No kernel here has more than one op.

// CHECK-LABEL: func.func @not_prologues(
// CHECK-NEXT: [[N:%.*]] = graph.layer_norm %x
// CHECK-NEXT: [[M:%.*]] = graph.matmul %y, [[N]]
// CHECK-NEXT: [[N2:%.*]] = graph.layer_norm %y
// CHECK-NEXT: [[M2:%.*]] = graph.matmul [[N2]], %x
// CHECK-NEXT: func.return [[M]], [[M2]], [[N2]]
// CHECK-NOT: graph.fused
func.func @not_prologues(%x: tensor<8x8xf32>, %y: tensor<8x8xf32>, %g: tensor<8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) {
  %0 = graph.layer_norm %x, %g, %g : (tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x8xf32>
  %1 = graph.matmul %y, %0 : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  %2 = graph.layer_norm %y, %g, %g : (tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x8xf32>
  %3 = graph.matmul %2, %x : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  func.return %1, %3, %2 : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

// The first sibling's result is used (by an op fusion never takes) before the second sibling:
// merging would move the first matmul after its user, so the siblings stay two kernels.

// CHECK-LABEL: func.func @used_between(
// CHECK-NEXT: %wa = graph.weight
// CHECK-NEXT: %wb = graph.weight
// CHECK-NEXT: [[A:%.*]] = graph.matmul %x, %wa
// CHECK-NEXT: [[C:%.*]] = graph.concat [[A]], [[A]]
// CHECK-NEXT: [[B:%.*]] = graph.matmul %x, %wb
// CHECK-NEXT: func.return [[C]], [[B]]
// CHECK-NOT: graph.fused
func.func @used_between(%x: tensor<4x8xf32>) -> (tensor<8x8xf32>, tensor<4x8xf32>) {
  %wa = graph.weight "a" : tensor<8x8xf32>
  %wb = graph.weight "b" : tensor<8x8xf32>
  %0 = graph.matmul %x, %wa : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %1 = graph.concat %0, %0 {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  %2 = graph.matmul %x, %wb : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  func.return %1, %2 : tensor<8x8xf32>, tensor<4x8xf32>
}

// -----

// The second sibling's operand is computed after the first sibling starts but does not depend
// on it: the merged kernel sits after both, so it still reads x once.

// CHECK-LABEL: func.func @operand_computed_between(
// CHECK-NEXT: %wa = graph.weight
// CHECK-NEXT: [[C:%.*]] = graph.concat %y, %y
// CHECK-NEXT: [[A:%.*]], [[B:%.*]] = graph.fused(%x, %wa, [[C]]) {kind = "contraction"}
// CHECK:      graph.matmul
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.yield
// CHECK:      func.return [[A]], [[B]]
func.func @operand_computed_between(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %wa = graph.weight "a" : tensor<8x8xf32>
  %0 = graph.matmul %x, %wa : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %1 = graph.concat %y, %y {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  %2 = graph.matmul %x, %1 : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  func.return %0, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A norm whose prologue would push the kernel past max-inputs stays outside: with a cap of 8,
// layer_norm (x, gamma, beta) + three biased projections would read 9 values.
// RUN: ge-opt %s --split-input-file -p 'fuse{max-inputs=8}' | filecheck %s --check-prefix=CAP8
// With the default cap (10) the norm becomes the prologue.

// CAP8-LABEL: func.func @prologue_over_max_inputs(
// CAP8: [[N:%.*]] = graph.layer_norm %x
// CAP8: graph.fused([[N]], %wq, %bq, %wk, %bk, %wv, %bv) {kind = "contraction"}
// CAP8-NOT: graph.layer_norm
// CAP8: func.return
// CHECK-LABEL: func.func @prologue_over_max_inputs(
// CHECK: graph.fused(%x, %g, %be, %wq, %bq, %wk, %bk, %wv, %bv) {kind = "contraction"}
// CHECK: graph.layer_norm
// CHECK: graph.yield
// CHECK: func.return
func.func @prologue_over_max_inputs(%x: tensor<4x8xf32>, %g: tensor<8xf32>, %be: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %n = graph.layer_norm %x, %g, %be : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %wq = graph.weight "q.weight" : tensor<8x8xf32>
  %bq = graph.weight "q.bias" : tensor<8xf32>
  %0 = graph.matmul %n, %wq : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %1 = graph.add %0, %bq : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %wk = graph.weight "k.weight" : tensor<8x8xf32>
  %bk = graph.weight "k.bias" : tensor<8xf32>
  %2 = graph.matmul %n, %wk : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %3 = graph.add %2, %bk : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %wv = graph.weight "v.weight" : tensor<8x8xf32>
  %bv = graph.weight "v.bias" : tensor<8xf32>
  %4 = graph.matmul %n, %wv : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %5 = graph.add %4, %bv : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  func.return %1, %3, %5 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
