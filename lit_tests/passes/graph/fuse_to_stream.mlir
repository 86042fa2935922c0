// RUN: ge-opt %s --split-input-file -p fuse,convert-graph-to-stream | filecheck %s
// RUN: ge-opt %s --split-input-file -p fuse,dce,convert-graph-to-stream | filecheck %s --check-prefix=DCE
// The lowered IR goes on to memory level.
// RUN: ge-opt %s --split-input-file -p fuse,dce,convert-graph-to-stream,convert-stream-to-memory | filecheck %s --check-prefix=MEM

// fuse then convert-graph-to-stream: each graph.fused becomes exactly one stream.kernel
// (named <function>_k<index>_<kind>, its body the fused body, its cost the sum of the body's
// with the GEMMs folded into one of the first GEMM's batch, M and N) and one stream.launch.
// Kernel counts are exact.

// matmul + bias + gelu: 1 kernel. cube 2*4*16*8 = 1024; vector: add 64 + gelu 14*64 = 960.

// CHECK-COUNT-1: stream.kernel @mlp_k0_contraction attributes {unit = "cube", cube_flops = 1024 : i64, vector_flops = 960 : i64, gemm = array<i64: 1, 4, 16, 8>} {
// CHECK-NEXT: ^bb0([[X:%.*]]: tensor<4x8xf32>, [[W:%.*]]: tensor<8x16xf32>, [[B:%.*]]: tensor<16xf32>):
// CHECK-NEXT: graph.matmul [[X]], [[W]]
// CHECK-NEXT: graph.add
// CHECK-NEXT: [[G:%.*]] = graph.gelu
// CHECK-NEXT: stream.yield [[G]] : tensor<4x16xf32>
// CHECK-NEXT: }
// CHECK-NOT: stream.kernel
// CHECK-LABEL: func.func @mlp(
// CHECK-COUNT-1: stream.launch
// CHECK-NOT: stream.launch
// CHECK: func.return
func.func @mlp(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = graph.weight "fc.weight" : tensor<8x16xf32>
  %b = graph.weight "fc.bias" : tensor<16xf32>
  %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32> -> tensor<4x16xf32>
  %2 = graph.gelu %1 : tensor<4x16xf32>
  func.return %2 : tensor<4x16xf32>
}

// -----

// A producer with two consumers: 3 kernels (exp, neg, relu+abs), the fused one an
// elementwise kernel; launches in program order on stream 0.

// CHECK: stream.kernel @two_consumers_k0_exp
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.exp
// CHECK-NEXT: stream.yield
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @two_consumers_k1_neg
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.neg
// CHECK-NEXT: stream.yield
// CHECK-NEXT: }
// CHECK-NEXT: stream.kernel @two_consumers_k2_elementwise attributes {vector_flops = 64 : i64} {
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: graph.relu
// CHECK-NEXT: graph.abs
// CHECK-NEXT: stream.yield
// CHECK-NEXT: }
// CHECK-NOT: stream.kernel
// CHECK-LABEL: func.func @two_consumers(
// CHECK-NEXT: [[E:%.*]], {{%.*}} = stream.launch @two_consumers_k0_exp(%x)
// CHECK-NEXT: [[N:%.*]], {{%.*}} = stream.launch @two_consumers_k1_neg([[E]])
// CHECK-NEXT: [[F:%.*]], {{%.*}} = stream.launch @two_consumers_k2_elementwise([[E]])
// CHECK-NEXT: func.return [[N]], [[F]]
func.func @two_consumers(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = graph.exp %x : tensor<4x8xf32>
  %1 = graph.neg %0 : tensor<4x8xf32>
  %2 = graph.relu %0 : tensor<4x8xf32>
  %3 = graph.abs %2 : tensor<4x8xf32>
  func.return %1, %3 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Q/K/V with the layer_norm prologue: 1 kernel with three results, 1 launch.
// cube 3 * (2*4*8*8) = 1536 folded into [1, 4, 8, 24].

// CHECK-COUNT-1: stream.kernel @qkv_k0_contraction attributes {unit = "cube", cube_flops = 1536 : i64, vector_flops = {{[0-9]+}} : i64, gemm = array<i64: 1, 4, 8, 24>} {
// CHECK-NOT: stream.kernel
// CHECK-LABEL: func.func @qkv(
// CHECK: %q, %k, %v, {{%.*}} = stream.launch @qkv_k0_contraction(
// CHECK-NOT: stream.launch
// CHECK: func.return %q, %k, %v
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

// Attention: 1 attention kernel. QK^T 2*8*8*16 = 2048 plus PV 2*8*16*8 = 2048 cube flops,
// folded into one GEMM [1, 8, 8, 32]. Without dce the scale constant the kernel cloned is
// still outside and is lowered as its own (dead) kernel of unit "none"; the -O2/-O3 pipelines
// run dce after fuse, which removes it.

// CHECK: stream.kernel @attention_k0_constant attributes {unit = "none"}
// CHECK: stream.kernel @attention_k1_attention attributes {unit = "cube", cube_flops = 4096 : i64, vector_flops = {{[0-9]+}} : i64, gemm = array<i64: 1, 8, 8, 32>} {
// CHECK-NOT: stream.kernel
// CHECK-LABEL: func.func @attention(
// CHECK-NEXT: %scale, {{%.*}} = stream.launch @attention_k0_constant()
// CHECK-NEXT: [[O:%.*]], {{%.*}} = stream.launch @attention_k1_attention(%q, %k, %mask, %v)
// CHECK-NEXT: func.return [[O]]
// DCE-COUNT-1: stream.kernel @attention_k0_attention attributes {unit = "cube", cube_flops = 4096 : i64, vector_flops = {{[0-9]+}} : i64, gemm = array<i64: 1, 8, 8, 32>} {
// DCE-NOT: stream.kernel
// DCE-LABEL: func.func @attention(
// DCE-NEXT: [[O:%.*]], {{%.*}} = stream.launch @attention_k0_attention(%q, %k, %mask, %v)
// DCE-NEXT: func.return [[O]]
// MEM-LABEL: func.func @attention(
// MEM-COUNT-1: stream.launch @attention_k0_attention
// MEM-NOT: stream.launch
// MEM: func.return
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

// A stream hint survives on the kernel's launch.

// CHECK-LABEL: func.func @hinted(
// CHECK-NEXT: stream.launch @hinted_k0_elementwise(%x) {pinned, stream = 2 : i64}
// CHECK-NOT: stream.launch
// CHECK: func.return
func.func @hinted(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = graph.neg %x {stream_id = 2 : i64} : tensor<8xf32>
  %1 = graph.exp %0 {stream_id = 2 : i64} : tensor<8xf32>
  func.return %1 : tensor<8xf32>
}
