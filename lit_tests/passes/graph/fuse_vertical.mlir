// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s
// The fused IR is valid: it re-parses and prints the same.
// RUN: ge-opt %s --split-input-file -p fuse | ge-opt --split-input-file | filecheck %s

// fuse, vertical groups: ops are grouped in program order into graph.fused regions, one
// future kernel each. Every case checks the whole function body with CHECK-NEXT, so the
// number of kernels is exact (tinygrad-style): everything that computes is either inside the
// expected graph.fused or listed explicitly.

// a * b + c: one elementwise kernel and nothing else.

// CHECK-LABEL: func.func @fma(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: [[R:%.*]] = graph.fused(%a, %b, %c) {kind = "elementwise"} : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<4x8xf32>, [[B:%.*]]: tensor<4x8xf32>, [[C:%.*]]: tensor<4x8xf32>):
// CHECK-NEXT: [[M:%.*]] = graph.mul [[A]], [[B]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: [[S:%.*]] = graph.add [[M]], [[C]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: graph.yield [[S]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x8xf32>
// CHECK-NEXT: }
func.func @fma(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.mul %a, %b : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = graph.add %0, %c : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  func.return %1 : tensor<4x8xf32>
}

// -----

// conv + bias (a broadcast add) + relu: one contraction kernel (conv with its epilogue); the
// weights stay outside as the kernel's inputs.

// CHECK-LABEL: func.func @conv_bias_relu(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x6x6xf32> {
// CHECK-NEXT: %w = graph.weight "conv.weight" : tensor<4x3x3x3xf32>
// CHECK-NEXT: %b = graph.weight "conv.bias" : tensor<4x1x1xf32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w, %b) {kind = "contraction"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4x1x1xf32>) -> tensor<1x4x6x6xf32> {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<1x3x8x8xf32>, [[W:%.*]]: tensor<4x3x3x3xf32>, [[B:%.*]]: tensor<4x1x1xf32>):
// CHECK-NEXT: [[C:%.*]] = graph.conv2d [[X]], [[W]] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT: [[S:%.*]] = graph.add [[C]], [[B]] : tensor<1x4x6x6xf32>, tensor<4x1x1xf32> -> tensor<1x4x6x6xf32>
// CHECK-NEXT: [[Y:%.*]] = graph.relu [[S]] : tensor<1x4x6x6xf32>
// CHECK-NEXT: graph.yield [[Y]] : tensor<1x4x6x6xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<1x4x6x6xf32>
// CHECK-NEXT: }
func.func @conv_bias_relu(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x6x6xf32> {
  %w = graph.weight "conv.weight" : tensor<4x3x3x3xf32>
  %b = graph.weight "conv.bias" : tensor<4x1x1xf32>
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = graph.add %0, %b : tensor<1x4x6x6xf32>, tensor<4x1x1xf32> -> tensor<1x4x6x6xf32>
  %2 = graph.relu %1 : tensor<1x4x6x6xf32>
  func.return %2 : tensor<1x4x6x6xf32>
}

// -----

// matmul + bias + gelu (the tanh form keeps its property inside the kernel): one kernel.

// CHECK-LABEL: func.func @matmul_bias_gelu(%x: tensor<4x8xf16>) -> tensor<4x16xf16> {
// CHECK-NEXT: %w = graph.weight "fc.weight" : tensor<8x16xf16>
// CHECK-NEXT: %b = graph.weight "fc.bias" : tensor<16xf16>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w, %b) {kind = "contraction"} : (tensor<4x8xf16>, tensor<8x16xf16>, tensor<16xf16>) -> tensor<4x16xf16> {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x8xf16>, [[W:%.*]]: tensor<8x16xf16>, [[B:%.*]]: tensor<16xf16>):
// CHECK-NEXT: [[M:%.*]] = graph.matmul [[X]], [[W]] : tensor<4x8xf16>, tensor<8x16xf16> -> tensor<4x16xf16>
// CHECK-NEXT: [[S:%.*]] = graph.add [[M]], [[B]] : tensor<4x16xf16>, tensor<16xf16> -> tensor<4x16xf16>
// CHECK-NEXT: [[G:%.*]] = graph.gelu [[S]] {approximate = "tanh"} : tensor<4x16xf16>
// CHECK-NEXT: graph.yield [[G]] : tensor<4x16xf16>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x16xf16>
// CHECK-NEXT: }
func.func @matmul_bias_gelu(%x: tensor<4x8xf16>) -> tensor<4x16xf16> {
  %w = graph.weight "fc.weight" : tensor<8x16xf16>
  %b = graph.weight "fc.bias" : tensor<16xf16>
  %0 = graph.matmul %x, %w : tensor<4x8xf16>, tensor<8x16xf16> -> tensor<4x16xf16>
  %1 = graph.add %0, %b : tensor<4x16xf16>, tensor<16xf16> -> tensor<4x16xf16>
  %2 = graph.gelu %1 {approximate = "tanh"} : tensor<4x16xf16>
  func.return %2 : tensor<4x16xf16>
}

// -----

// A group of one op stays a plain op: a lone layer_norm is not wrapped.

// CHECK-LABEL: func.func @lone_layer_norm(%x: tensor<4x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: [[N:%.*]] = graph.layer_norm %x, %w, %b : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: func.return [[N]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NOT: graph.fused
func.func @lone_layer_norm(%x: tensor<4x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = graph.layer_norm %x, %w, %b : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  func.return %0 : tensor<4x8xf32>
}

// -----

// layer_norm + elementwise epilogue (silu, residual add): one reduction kernel.

// CHECK-LABEL: func.func @layer_norm_epilogue(%x: tensor<4x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w, %b, %r) {kind = "reduction"} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x8xf32>, [[W:%.*]]: tensor<8xf32>, [[B:%.*]]: tensor<8xf32>, [[RES:%.*]]: tensor<4x8xf32>):
// CHECK-NEXT: [[N:%.*]] = graph.layer_norm [[X]], [[W]], [[B]] {epsilon = 1.000000e-06 : f32} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: [[S:%.*]] = graph.silu [[N]] : tensor<4x8xf32>
// CHECK-NEXT: [[A:%.*]] = graph.add [[S]], [[RES]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: graph.yield [[A]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x8xf32>
// CHECK-NEXT: }
func.func @layer_norm_epilogue(%x: tensor<4x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.layer_norm %x, %w, %b {epsilon = 1.0e-06 : f32} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = graph.silu %0 : tensor<4x8xf32>
  %2 = graph.add %1, %r : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  func.return %2 : tensor<4x8xf32>
}

// -----

// An elementwise prologue (residual add) joins a norm: one reduction kernel.

// CHECK-LABEL: func.func @add_then_norm(
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %r, %w) {kind = "reduction"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.rms_norm
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x8xf32>
func.func @add_then_norm(%x: tensor<4x8xf32>, %r: tensor<4x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = graph.add %x, %r : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = graph.rms_norm %0, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  func.return %1 : tensor<4x8xf32>
}

// -----

// GEGLU: matmul + bias, split into halves, gelu of the gate, product: one kernel (the split's
// two results join again in the mul).

// CHECK-LABEL: func.func @geglu(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
// CHECK-NEXT: %w = graph.weight "proj.weight" : tensor<8x32xf32>
// CHECK-NEXT: %b = graph.weight "proj.bias" : tensor<32xf32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w, %b) {kind = "contraction"} : (tensor<4x8xf32>, tensor<8x32xf32>, tensor<32xf32>) -> tensor<4x16xf32> {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x8xf32>, [[W:%.*]]: tensor<8x32xf32>, [[B:%.*]]: tensor<32xf32>):
// CHECK-NEXT: [[M:%.*]] = graph.matmul [[X]], [[W]] : tensor<4x8xf32>, tensor<8x32xf32> -> tensor<4x32xf32>
// CHECK-NEXT: [[S:%.*]] = graph.add [[M]], [[B]] : tensor<4x32xf32>, tensor<32xf32> -> tensor<4x32xf32>
// CHECK-NEXT: [[H:%.*]], [[G:%.*]] = graph.split [[S]] {axis = -1 : i64} : tensor<4x32xf32> -> tensor<4x16xf32>, tensor<4x16xf32>
// CHECK-NEXT: [[GG:%.*]] = graph.gelu [[G]] : tensor<4x16xf32>
// CHECK-NEXT: [[P:%.*]] = graph.mul [[H]], [[GG]] : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT: graph.yield [[P]] : tensor<4x16xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x16xf32>
// CHECK-NEXT: }
func.func @geglu(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = graph.weight "proj.weight" : tensor<8x32xf32>
  %b = graph.weight "proj.bias" : tensor<32xf32>
  %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x32xf32> -> tensor<4x32xf32>
  %1 = graph.add %0, %b : tensor<4x32xf32>, tensor<32xf32> -> tensor<4x32xf32>
  %h, %g = graph.split %1 {axis = -1 : i64} : tensor<4x32xf32> -> tensor<4x16xf32>, tensor<4x16xf32>
  %2 = graph.gelu %g : tensor<4x16xf32>
  %3 = graph.mul %h, %2 : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  func.return %3 : tensor<4x16xf32>
}

// -----

// A producer with two consumers is not duplicated into both: exp stays its own op (its
// consumers read it from memory), neg stays alone, relu + abs form one kernel. Three kernels.

// CHECK-LABEL: func.func @two_consumers(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
// CHECK-NEXT: [[E:%.*]] = graph.exp %x : tensor<4x8xf32>
// CHECK-NEXT: [[N:%.*]] = graph.neg [[E]] : tensor<4x8xf32>
// CHECK-NEXT: [[F:%.*]] = graph.fused([[E]]) {kind = "elementwise"} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<4x8xf32>):
// CHECK-NEXT: [[R:%.*]] = graph.relu [[A]] : tensor<4x8xf32>
// CHECK-NEXT: [[B:%.*]] = graph.abs [[R]] : tensor<4x8xf32>
// CHECK-NEXT: graph.yield [[B]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[N]], [[F]] : tensor<4x8xf32>, tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NOT: graph.exp
func.func @two_consumers(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = graph.exp %x : tensor<4x8xf32>
  %1 = graph.neg %0 : tensor<4x8xf32>
  %2 = graph.relu %0 : tensor<4x8xf32>
  %3 = graph.abs %2 : tensor<4x8xf32>
  func.return %1, %3 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A value that is also a function result is a consumer outside the group: exp is not merged
// into its elementwise consumer.

// CHECK-LABEL: func.func @returned_intermediate(
// CHECK-NEXT: [[E:%.*]] = graph.exp %x : tensor<8xf32>
// CHECK-NEXT: [[N:%.*]] = graph.neg [[E]] : tensor<8xf32>
// CHECK-NEXT: func.return [[E]], [[N]]
// CHECK-NOT: graph.fused
func.func @returned_intermediate(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = graph.exp %x : tensor<8xf32>
  %1 = graph.neg %0 : tensor<8xf32>
  func.return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// At most one anchor per kernel: matmul then reduce_sum are two kernels (no fusion at all
// here, both groups have one op); the cube reads operands as they are, so an elementwise
// producer is not a matmul prologue either. (A layer/RMS norm over rows that fit a block is
// the exception: the matmul's epilogue, see @norm_epilogue.)

// CHECK-LABEL: func.func @two_anchors(
// CHECK-NEXT: %w = graph.weight "fc.weight" : tensor<8x8xf32>
// CHECK-NEXT: [[E:%.*]] = graph.exp %x : tensor<4x8xf32>
// CHECK-NEXT: [[M:%.*]] = graph.matmul [[E]], %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT: [[N:%.*]] = graph.reduce_sum [[M]] {axes = array<i64: 1>} : tensor<4x8xf32> -> tensor<4xf32>
// CHECK-NEXT: func.return [[N]] : tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NOT: graph.fused
func.func @two_anchors(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %w = graph.weight "fc.weight" : tensor<8x8xf32>
  %0 = graph.exp %x : tensor<4x8xf32>
  %1 = graph.matmul %0, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %2 = graph.reduce_sum %1 {axes = array<i64: 1>} : tensor<4x8xf32> -> tensor<4xf32>
  func.return %2 : tensor<4xf32>
}

// -----

// A layer norm over rows that fit one matmul block (8 <= 512) is the matmul's epilogue.

// CHECK-LABEL: func.func @norm_epilogue(
// CHECK-NEXT: %w = graph.weight "fc.weight" : tensor<8x8xf32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w, %g) {kind = "contraction"}
// CHECK: graph.matmul
// CHECK-NEXT: graph.layer_norm
// CHECK-NEXT: graph.yield
func.func @norm_epilogue(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %w = graph.weight "fc.weight" : tensor<8x8xf32>
  %1 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %2 = graph.layer_norm %1, %g, %g : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  func.return %2 : tensor<4x8xf32>
}

// -----

// Layout ops: a transpose is a matmul prologue (a strided load), a reshape a strided store
// in its epilogue. One contraction kernel.

// CHECK-LABEL: func.func @layout_around_matmul(%x: tensor<8x4xf32>) -> tensor<2x2x8xf32> {
// CHECK-NEXT: %w = graph.weight "w" : tensor<8x8xf32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x, %w) {kind = "contraction"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.transpose
// CHECK-NEXT: graph.matmul
// CHECK-NEXT: graph.reshape
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<2x2x8xf32>
func.func @layout_around_matmul(%x: tensor<8x4xf32>) -> tensor<2x2x8xf32> {
  %w = graph.weight "w" : tensor<8x8xf32>
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<8x4xf32> -> tensor<4x8xf32>
  %1 = graph.matmul %0, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %2 = graph.reshape %1 : tensor<4x8xf32> -> tensor<2x2x8xf32>
  func.return %2 : tensor<2x2x8xf32>
}

// -----

// Ops fusion never takes (concat, gather) split chains: neg+exp, then concat, then abs+relu.

// CHECK-LABEL: func.func @barrier(
// CHECK-NEXT: [[A:%.*]] = graph.fused(%x) {kind = "elementwise"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.neg
// CHECK-NEXT: graph.exp
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: [[C:%.*]] = graph.concat [[A]], %x {axis = 0 : i64}
// CHECK-NEXT: [[B:%.*]] = graph.fused([[C]]) {kind = "elementwise"}
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.abs
// CHECK-NEXT: graph.relu
// CHECK-NEXT: graph.yield
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[B]] : tensor<8x4xf32>
func.func @barrier(%x: tensor<4x4xf32>) -> tensor<8x4xf32> {
  %0 = graph.neg %x : tensor<4x4xf32>
  %1 = graph.exp %0 : tensor<4x4xf32>
  %2 = graph.concat %1, %x {axis = 0 : i64} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %3 = graph.abs %2 : tensor<8x4xf32>
  %4 = graph.relu %3 : tensor<8x4xf32>
  func.return %4 : tensor<8x4xf32>
}

// -----

// Constants (graph.constant holds at most 4096 elements) are cloned into the kernel that uses
// them and are not its inputs, so no constant becomes a kernel of its own; the original is left
// for dce (the graph pipelines run dce after fuse).

// CHECK-LABEL: func.func @constants(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
// CHECK-NEXT: %s = graph.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: %big = graph.constant dense<1.000000e+00> : tensor<4x32xf32>
// CHECK-NEXT: [[R:%.*]] = graph.fused(%x) {kind = "elementwise"} : (tensor<4x32xf32>) -> tensor<4x32xf32> {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x32xf32>):
// CHECK-NEXT: [[S:%.*]] = graph.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: [[M:%.*]] = graph.mul [[X]], [[S]] : tensor<4x32xf32>, tensor<f32> -> tensor<4x32xf32>
// CHECK-NEXT: [[BIG:%.*]] = graph.constant dense<1.000000e+00> : tensor<4x32xf32>
// CHECK-NEXT: [[A:%.*]] = graph.add [[M]], [[BIG]] : tensor<4x32xf32>, tensor<4x32xf32> -> tensor<4x32xf32>
// CHECK-NEXT: graph.yield [[A]] : tensor<4x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return [[R]] : tensor<4x32xf32>
// CHECK-NEXT: }
func.func @constants(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %s = graph.constant dense<0.5> : tensor<f32>
  %big = graph.constant dense<1.0> : tensor<4x32xf32>
  %0 = graph.mul %x, %s : tensor<4x32xf32>, tensor<f32> -> tensor<4x32xf32>
  %1 = graph.add %0, %big : tensor<4x32xf32>, tensor<4x32xf32> -> tensor<4x32xf32>
  func.return %1 : tensor<4x32xf32>
}

// -----

// Declarations are left alone; every function is fused on its own.

// CHECK-LABEL: func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
// CHECK-LABEL: func.func @first(
// CHECK-NEXT: graph.fused(%x) {kind = "elementwise"}
// CHECK-LABEL: func.func @second(
// CHECK-NEXT: graph.fused(%y) {kind = "elementwise"}
func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
func.func @first(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.neg %x : tensor<2xf32>
  %1 = graph.exp %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
func.func @second(%y: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.tanh %y : tensor<2xf32>
  %1 = graph.sigmoid %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
